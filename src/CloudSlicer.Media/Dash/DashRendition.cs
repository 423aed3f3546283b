namespace CloudSlicer.Media.Dash;

/// <summary>
/// One rendition as the MPD describes it: its files under the asset (<c>{Id}/init.mp4</c>, <c>{Id}/seg_00000.m4s</c>…)
/// and its slices' durations in its own track timescale, the unit of the fragments' decode times.
/// </summary>
/// <param name="Id">The rendition's directory: a ray name, or "audio".</param>
/// <param name="Codecs">RFC 6381, as the HLS master announces it ("avc1.64001f", "mp4a.40.2").</param>
/// <param name="Bandwidth">Bits per second a player needs to fetch it without stalling.</param>
/// <param name="Timescale">Ticks per second of the track (the init segment's mdhd).</param>
/// <param name="SegmentDurations">Each slice's duration in <paramref name="Timescale"/> ticks, in order.</param>
public sealed record DashRendition(string Id, string Codecs, long Bandwidth, int Timescale, IReadOnlyList<long> SegmentDurations)
{
    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>As the HLS master writes FRAME-RATE ("30.000", "29.970"); null for audio.</summary>
    public string? FrameRate { get; init; }

    /// <summary>Audio channels; 0 for video.</summary>
    public int Channels { get; init; }

    /// <summary>The number in the first slice's name (<c>seg_00012.m4s</c>: 12); a clip keeps its source's slice names.</summary>
    public long StartNumber { get; init; }

    /// <summary>
    /// The first slice's decode time (<c>tfdt</c>) in <see cref="Timescale"/> ticks: 0 for an asset, the offset for a clip,
    /// which keeps the source's timeline.
    /// </summary>
    public long StartTime { get; init; }

    /// <summary>Audio: the language (BCP 47, as the master's LANGUAGE).</summary>
    public string Lang { get; init; } = "en";

    /// <summary>Audio: the name players list the track by (the master's NAME); null for the asset's own audio.</summary>
    public string? Label { get; init; }

    public TimeSpan Duration => TimeSpan.FromSeconds(SegmentDurations.Sum() / (double)Timescale);
}
