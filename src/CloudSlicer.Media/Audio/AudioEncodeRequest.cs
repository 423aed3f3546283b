namespace CloudSlicer.Media.Audio;

/// <summary>Which AAC an export carries: HE-AAC v1 (the default) or AAC-LC (<c>aaclc=1</c>).</summary>
public enum AacProfile
{
    HeAacV1,
    AacLc,
}

/// <summary>
/// Encode the first audio stream of <see cref="Input"/> (any container ffmpeg may open here) to one
/// stereo AAC track in an MP4 at <see cref="Output"/> (.m4a or .mp4), index at the front.
/// Mono is upmixed and more than two channels are downmixed to stereo.
/// </summary>
public sealed record AudioEncodeRequest(string Input, string Output)
{
    public const int HeAacDefaultKbps = 64;

    public AacProfile Profile { get; init; } = AacProfile.HeAacV1;

    /// <summary>44100 or 48000.</summary>
    public int SampleRate { get; init; } = Slices.AudioSampleRate;

    /// <summary>Null: 64 kbps for HE-AAC, <see cref="MediaOptions.AudioKbps"/> for AAC-LC.</summary>
    public int? Kbps { get; init; }

    /// <summary>The source's duration when known, for progress (0..1).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>
    /// The source is an asset's audio rendition on the asset's timeline (its priming before zero): encode from
    /// zero to <see cref="Duration"/> exactly, so the export's audio starts and ends with its video.
    /// </summary>
    public bool OnAssetTimeline { get; init; }

    internal TimeSpan? Timeline => OnAssetTimeline ? Duration ?? throw new InvalidOperationException("an asset timeline needs its Duration") : null;
}
