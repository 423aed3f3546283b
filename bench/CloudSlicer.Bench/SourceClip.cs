using System.Globalization;

namespace CloudSlicer.Bench;

/// <summary>
/// The benchmark's source: 1920x1080, 30 fps, AAC stereo 48 kHz, made once per length and cached in bench/out.
/// x264 -preset fast -crf 20 gives a realistically dense stream, so decoding costs what a real upload's would.
/// </summary>
public static class SourceClip
{
    public const int Width = 1920;
    public const int Height = 1080;
    public const int FrameRate = 30;

    public static string FileName(int seconds) => $"source-{seconds}s-1080p30.mp4";

    public static async Task<string> EnsureAsync(string outDirectory, int seconds, CancellationToken cancellationToken)
    {
        var path = Path.Combine(outDirectory, FileName(seconds));
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(outDirectory);
        var partial = path + ".partial.mp4";
        var s = seconds.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"Generating the {s} s 1080p source once (cached as {path}) ...");
        await Tools.RunAsync(Tools.Ffmpeg,
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate={FrameRate}:duration={s}",
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={s}",
            "-c:v", "libx264", "-preset", "fast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "160k", "-ac", "2", "-ar", "48000",
            "-shortest", "-movflags", "+faststart", "-f", "mp4", partial,
        ], cancellationToken);
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
