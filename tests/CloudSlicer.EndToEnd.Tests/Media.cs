using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>What a player sees: ffprobe reading an asset over HTTP, and the playlists' own numbers.</summary>
internal static class Media
{
    /// <summary>ffprobe's format duration for a URL or file (reads an HLS master over HTTP like a player).</summary>
    public static async Task<double> ProbeDurationAsync(string input)
    {
        var json = await RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", input);
        return double.Parse(JsonNode.Parse(json)!["format"]!["duration"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    /// <summary>The stream kinds ffprobe finds behind a URL ("video", "audio" ...).</summary>
    public static async Task<IReadOnlyList<string>> ProbeStreamTypesAsync(string input)
    {
        var json = await RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "json", input);
        return JsonNode.Parse(json)!["streams"]!.AsArray().Select(s => s!["codec_type"]!.GetValue<string>()).ToList();
    }

    /// <summary>The #EXTINF durations of a media playlist.</summary>
    public static IReadOnlyList<double> SegmentDurations(string playlist) =>
        playlist.Split('\n')
            .Where(line => line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            .Select(line => double.Parse(line["#EXTINF:".Length..].TrimEnd(',', '\r'), CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>URIs of a playlist (lines that are not tags), plus URI="..." attributes.</summary>
    public static IReadOnlyList<string> Uris(string playlist) =>
        playlist.Split('\n').Select(l => l.Trim())
            .SelectMany(line => line.StartsWith('#')
                ? line.Split("URI=\"").Skip(1).Select(part => part[..part.IndexOf('"', StringComparison.Ordinal)])
                : line.Length > 0 ? [line] : [])
            .ToList();

    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await stderr}");
    }

    /// <summary>ffmpeg processes whose command line mentions <paramref name="fragment"/> (e.g. the server's data directory).</summary>
    public static IReadOnlyList<int> FfmpegProcessesMentioning(string fragment) =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => (Dir: dir, Pid: int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0))
            .Where(p => p.Pid > 0)
            .Where(p =>
            {
                try
                {
                    var cmdline = File.ReadAllText(Path.Combine(p.Dir, "cmdline")).Replace('\0', ' ');
                    return cmdline.Contains("ffmpeg", StringComparison.Ordinal) && cmdline.Contains(fragment, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;   // the process ended while we looked
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .Select(p => p.Pid)
            .ToList();
}
