namespace CloudSlicer.Media.Captions;

/// <summary>How a caption track is cut and placed (docs/captions.md).</summary>
public sealed record WebVttOptions
{
    /// <summary>The asset's slice grid: one .vtt per slice, aligned with the media slices.</summary>
    public TimeSpan SliceDuration { get; init; } = Slices.SliceDuration;

    /// <summary>
    /// Subtracted from every cue time before writing: with <c>subtitle_absolute_time</c> the TTML is timed on
    /// the source's own timeline (or timecode), so the job passes where the asset starts on it (e.g. the
    /// source's start time plus <c>trim</c>'s offset). Zero: the TTML is already timed from the asset's start.
    /// </summary>
    public TimeSpan TimeOffset { get; init; } = TimeSpan.Zero;

    /// <summary>Settings written on every cue (<c>default_position</c>, <c>default_vertical</c>).</summary>
    public CueSettings Settings { get; init; } = CueSettings.None;

    /// <summary>
    /// The media timestamp (tfdt, as a time) of the asset's first moment; CloudSlicer's CMAF slices start at
    /// zero. It becomes X-TIMESTAMP-MAP's MPEGTS (in 90 kHz units) with LOCAL 00:00:00.000.
    /// </summary>
    public TimeSpan MediaTimelineStart { get; init; } = TimeSpan.Zero;
}
