using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>What tests/player/play.mjs reported after playing an asset in headless Chromium.</summary>
internal sealed record PlaybackReport(
    bool Playing, double CurrentTime, string? Fatal, bool TimedOut, IReadOnlyList<string> Errors, IReadOnlyDictionary<string, double> BufferedStart, string Raw)
{
    public override string ToString() => Raw;
}

/// <summary>
/// Plays a URL in Debian's headless Chromium with hls.js or dash.js (tests/player: a page, and a node script that
/// drives the browser with playwright-core). The page is served from its own loopback origin, so every fetch of
/// the asset is cross-origin and needs the content's CORS headers, as on a customer's site.
/// scripts/deps.sh test installs Chromium and the pinned npm packages.
/// </summary>
internal sealed class BrowserPlayer : IAsyncDisposable
{
    private static readonly TimeSpan PlayDeadline = TimeSpan.FromSeconds(25);

    private readonly LoopbackFileServer _pages;

    private BrowserPlayer(LoopbackFileServer pages, string directory)
    {
        _pages = pages;
        Directory = directory;
    }

    public string Directory { get; }

    public static async Task<BrowserPlayer> StartAsync()
    {
        var directory = FindPlayerDirectory();
        Assert.True(
            File.Exists(Path.Combine(directory, "node_modules", "hls.js", "package.json")) && File.Exists("/usr/bin/chromium"),
            "the browser tests need Chromium and tests/player/node_modules: run `bash scripts/deps.sh test` (make test does)");
        return new BrowserPlayer(await LoopbackFileServer.StartAsync(directory), directory);
    }

    /// <summary>Plays <paramref name="src"/> until the video clock passes <paramref name="untilSeconds"/>, a fatal error, or the deadline.</summary>
    public async Task<PlaybackReport> PlayAsync(string player, string src, double untilSeconds)
    {
        var stdout = await MediaClips.RunAsync("node",
            [Path.Combine(Directory, "play.mjs"),
             "--page", _pages.UrlOf("play.html"),
             "--player", player,
             "--src", src,
             "--until", untilSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--timeout", ((int)PlayDeadline.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)],
            CancellationToken.None);
        var json = JsonNode.Parse(stdout)!.AsObject();
        return new PlaybackReport(
            json["playing"]!.GetValue<bool>(),
            json["currentTime"]!.GetValue<double>(),
            json["fatal"]?.GetValue<string>(),
            json["timedOut"]!.GetValue<bool>(),
            json["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList(),
            json["buffered"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>()),
            stdout.Trim());
    }

    public ValueTask DisposeAsync() => _pages.DisposeAsync();

    private static string FindPlayerDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "player");
            if (File.Exists(Path.Combine(candidate, "play.mjs")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/player (play.mjs) not found above the test binaries");
    }
}
