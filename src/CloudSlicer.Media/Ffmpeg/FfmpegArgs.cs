using System.Globalization;
using CloudSlicer.Media.Probe;

namespace CloudSlicer.Media.Ffmpeg;

/// <summary>A token list for <c>ProcessStartInfo.ArgumentList</c>; every number is formatted here, invariantly.</summary>
internal sealed class FfmpegArgs
{
    private readonly List<string> _tokens = [];

    /// <summary>
    /// The options every unattended run takes: machine-readable progress on stdout, only errors on
    /// stderr (kept as the failure message), never a prompt, never reading stdin.
    /// </summary>
    public static FfmpegArgs Batch() =>
        new FfmpegArgs().Add("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y", "-progress", "pipe:1");

    public FfmpegArgs Add(params string[] tokens)
    {
        _tokens.AddRange(tokens);
        return this;
    }

    /// <summary>
    /// A local source, opened only through the file protocol and only by an allowed demuxer (DESIGN 5),
    /// so a playlist or concat list posing as media can never make ffmpeg read other files or URLs.
    /// "file:" keeps a name with a colon from being read as a protocol. Input -ss/-t trim accurately
    /// when re-encoding: frames before the start are decoded and dropped.
    /// </summary>
    public FfmpegArgs Input(string path, TimeSpan? start, TimeSpan? duration)
    {
        Add("-protocol_whitelist", "file", "-format_whitelist", ContainerPolicy.FormatWhitelist);
        if (start is { } s && s > TimeSpan.Zero)
        {
            Add("-ss", Seconds(s));
        }

        if (duration is { } d)
        {
            Add("-t", Seconds(d));
        }

        return Add("-i", "file:" + path);
    }

    /// <summary>A local still image (PNG, JPEG, WebP, BMP), through the file protocol and only an image demuxer.</summary>
    public FfmpegArgs ImageInput(string path) =>
        Add("-protocol_whitelist", "file", "-format_whitelist", ContainerPolicy.ImageFormatWhitelist, "-i", "file:" + path);

    public IReadOnlyList<string> ToList() => _tokens.ToArray();

    public static string Seconds(TimeSpan t) =>
        (t.Ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0.######", CultureInfo.InvariantCulture);

    public static string Kbps(int kbps) => Int(kbps) + "k";

    public static string Int(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A frame rate as ffmpeg's rational: 30 -> "30", 29.97 -> "30000/1001" (a decimal would drift).</summary>
    public static string Rate(double fps)
    {
        var whole = Math.Round(fps);
        if (Math.Abs(fps - whole) < 0.001)
        {
            return Int((long)whole);
        }

        var ntsc = Math.Round(fps * 1.001);
        if (Math.Abs((fps * 1.001) - ntsc) < 0.001)
        {
            return Int((long)ntsc * 1000) + "/1001";
        }

        return fps.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
