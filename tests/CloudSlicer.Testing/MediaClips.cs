using System.Diagnostics;
using System.Globalization;

namespace CloudSlicer.Testing;

/// <summary>A test source to generate: lavfi testsrc2 (moving picture, frame counter) and a 440 Hz sine.</summary>
public sealed record MediaClipSpec
{
    public required TimeSpan Duration { get; init; }

    public int Width { get; init; } = 640;

    public int Height { get; init; } = 360;

    public double FrameRate { get; init; } = 30;

    public bool WithAudio { get; init; } = true;

    /// <summary>False makes an audio-only clip (for alternate audio tracks).</summary>
    public bool WithVideo { get; init; } = true;

    /// <summary>"mp4", "mov", "mkv", "ts", "m4a" (audio only), or any ffmpeg muxer name.</summary>
    public string Container { get; init; } = "mp4";

    /// <summary>Display rotation in degrees written as a display matrix, as phones do (mp4/mov only).</summary>
    public int Rotation { get; init; }

    public int AudioSampleRate { get; init; } = 48_000;
}

/// <summary>Makes and inspects media with the real ffmpeg/ffprobe on PATH (tests only).</summary>
public static class MediaClips
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the clip to <paramref name="path"/> (ultrafast x264, AAC) and returns the path.</summary>
    public static async Task<string> GenerateAsync(string path, MediaClipSpec spec, CancellationToken cancellationToken = default)
    {
        if (!spec.WithVideo && !spec.WithAudio)
        {
            throw new ArgumentException("a clip needs video or audio", nameof(spec));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var seconds = spec.Duration.TotalSeconds.ToString("0.###", Inv);
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-y" };
        if (spec.WithVideo)
        {
            var rate = spec.FrameRate.ToString("0.#####", Inv);
            args.AddRange(["-f", "lavfi", "-i", $"testsrc2=size={spec.Width}x{spec.Height}:rate={rate}:duration={seconds}"]);
        }

        if (spec.WithAudio)
        {
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:sample_rate={spec.AudioSampleRate}:duration={seconds}"]);
        }

        if (spec.WithVideo)
        {
            args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]);
        }

        if (spec.WithAudio)
        {
            args.AddRange(["-c:a", "aac", "-b:a", "96k"]);
        }

        args.AddRange(["-shortest", "-f", Muxer(spec.Container)]);
        if (spec.Container is "mp4" or "mov" or "m4a")
        {
            args.AddRange(["-movflags", "+faststart"]);
        }

        if (spec.Rotation == 0)
        {
            await RunAsync("ffmpeg", [.. args, path], cancellationToken);
            return path;
        }

        // ffmpeg 5.1 writes a display matrix from the rotate tag only when stream-copying, hence two steps.
        var plain = path + ".unrotated";
        await RunAsync("ffmpeg", [.. args, plain], cancellationToken);
        await RunAsync("ffmpeg",
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", plain, "-map", "0", "-c", "copy",
             "-metadata:s:v:0", "rotate=" + spec.Rotation.ToString(Inv), "-f", Muxer(spec.Container), path],
            cancellationToken);
        File.Delete(plain);
        return path;
    }

    /// <summary>The container's duration in seconds.</summary>
    public static async Task<double> ProbeDurationAsync(string path)
    {
        var text = await RunAsync("ffprobe",
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", path],
            CancellationToken.None);
        return double.Parse(text.Trim(), Inv);
    }

    /// <summary>Presentation times (s) of the key frames of the first video stream.</summary>
    public static async Task<IReadOnlyList<double>> ProbeKeyFrameTimesAsync(string path)
    {
        var packets = await ProbePacketsAsync(path, "v:0");
        return packets.Where(p => p.IsKey).Select(p => p.Time).ToList();
    }

    /// <summary>Every packet of one stream (e.g. "v:0", "a:0") in file order: time, duration (s), key flag.</summary>
    public static async Task<IReadOnlyList<MediaPacket>> ProbePacketsAsync(string path, string stream)
    {
        var text = await RunAsync("ffprobe",
            ["-v", "error", "-select_streams", stream, "-show_entries", "packet=pts_time,duration_time,flags",
             "-of", "csv=p=0", path],
            CancellationToken.None);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(','))
            .Where(f => f.Length >= 3 && f[0] != "N/A")
            .Select(f => new MediaPacket(
                double.Parse(f[0], Inv),
                double.TryParse(f[1], NumberStyles.Float, Inv, out var d) ? d : 0,
                f[2].Contains('K', StringComparison.Ordinal)))
            .ToList();
    }

    /// <summary>Runs ffmpeg or ffprobe and returns stdout; throws with stderr when it fails.</summary>
    public static async Task<string> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        }

        return output;
    }

    private static string Muxer(string container) => container switch
    {
        "mkv" => "matroska",
        "ts" => "mpegts",
        "m4a" => "ipod",
        _ => container,
    };
}

/// <summary>One packet as ffprobe lists it.</summary>
public sealed record MediaPacket(double Time, double Duration, bool IsKey);
