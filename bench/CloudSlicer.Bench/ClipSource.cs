using System.Globalization;

namespace CloudSlicer.Bench;

/// <summary>
/// The quick-clip benchmark's sources: 640x360 (two rays of the default ladder), 30 fps, AAC stereo 48 kHz, made once
/// per length and cached in bench/out. Low resolution keeps slicing the 10-minute asset to a minute or two; the clip's
/// cost is per slice and per ray, so the size of the picture does not change what is compared.
/// </summary>
public static class ClipSource
{
    public const int Width = 640;
    public const int Height = 360;

    public static async Task<string> EnsureAsync(string outDirectory, int seconds, CancellationToken cancellationToken)
    {
        var path = Path.Combine(outDirectory, $"clipsource-{seconds}s-360p30.mp4");
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(outDirectory);
        var partial = path + ".partial.mp4";
        var s = seconds.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"Generating the {s} s 360p source once (cached as {path}) ...");
        await Tools.RunAsync(Tools.Ffmpeg,
        [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate=30:duration={s}",
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={s}",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000",
            "-shortest", "-movflags", "+faststart", "-f", "mp4", partial,
        ], cancellationToken);
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
