using CloudSlicer.Core.Assets;

namespace CloudSlicer.Media.Probe;

/// <summary>ffprobe's <c>format</c> object, reduced.</summary>
/// <param name="FormatName">Demuxer name(s), e.g. "mov,mp4,m4a,3gp,3g2,mj2".</param>
public sealed record ProbeFormat(string FormatName, TimeSpan? Duration, long? BitRate, long? Size);

/// <summary>One of ffprobe's <c>streams</c>, reduced to what slicing decides on.</summary>
/// <param name="CodecType">"video", "audio", "subtitle", "data", "attachment".</param>
/// <param name="SampleAspectRatio">Pixel width over height; 1 when unknown.</param>
/// <param name="AvgFrameRate">0 when ffprobe says "0/0".</param>
/// <param name="Rotation">Degrees from the display matrix (or the legacy rotate tag), normalised to 0, 90, 180 or 270.</param>
/// <param name="IsAttachedPicture">Cover art: a "video" stream that is one still image, not video.</param>
public sealed record ProbeStream(
    int Index,
    string CodecType,
    string? CodecName,
    string? Profile,
    int Width,
    int Height,
    double SampleAspectRatio,
    double AvgFrameRate,
    double RFrameRate,
    TimeSpan? Duration,
    int Rotation,
    int SampleRate,
    int Channels,
    long? BitRate,
    bool IsAttachedPicture,
    string? Language)
{
    public bool IsVideo => CodecType == "video" && !IsAttachedPicture;

    public bool IsAudio => CodecType == "audio";

    /// <summary>avg_frame_rate, or r_frame_rate when the container does not know the average.</summary>
    public double FrameRate => AvgFrameRate > 0 ? AvgFrameRate : RFrameRate;

    /// <summary>Width as shown: non-square pixels stretched, a quarter turn swapping the sides.</summary>
    public int DisplayWidth => IsQuarterTurn ? Height : ScaledWidth;

    public int DisplayHeight => IsQuarterTurn ? ScaledWidth : Height;

    private bool IsQuarterTurn => Rotation is 90 or 270;

    private int ScaledWidth => (int)Math.Round(Width * SampleAspectRatio);
}

/// <summary>What ffprobe said about a source (<c>-show_format -show_streams</c>).</summary>
public sealed record ProbeResult(ProbeFormat Format, IReadOnlyList<ProbeStream> Streams)
{
    /// <summary>The first real video stream (cover art excluded), if any.</summary>
    public ProbeStream? Video => Streams.FirstOrDefault(s => s.IsVideo);

    public ProbeStream? Audio => Streams.FirstOrDefault(s => s.IsAudio);

    /// <summary>The container's duration, else the longest stream's; zero when neither is known.</summary>
    public TimeSpan Duration =>
        Format.Duration ?? Streams.Select(s => s.Duration ?? TimeSpan.Zero).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>Throws the job-facing error when there is no video to make rays from.</summary>
    /// <exception cref="MediaException">The source has no video stream.</exception>
    public ProbeResult RequireVideo() =>
        Video is not null
            ? this
            : throw new MediaException(Audio is not null
                ? "The source has no video stream (it has only audio)"
                : "The source has no video stream")
            {
                Permanent = true,
            };

    public SourceInfo ToSourceInfo()
    {
        var video = Video;
        return new SourceInfo(
            Format.FormatName,
            Duration,
            video?.DisplayWidth ?? 0,
            video?.DisplayHeight ?? 0,
            video?.FrameRate ?? 0,
            Audio is not null);
    }
}
