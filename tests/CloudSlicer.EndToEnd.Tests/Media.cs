using System.Globalization;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

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

    public static Task<string> RunAsync(string tool, params string[] args) => MediaClips.RunAsync(tool, args, CancellationToken.None);
}
