using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>hls.js in headless Chromium lists an asset's alternate audio track and switches to it while playing.</summary>
public sealed class AudioTrackPlaybackTests(AudioTrackSources sources) : IClassFixture<AudioTrackSources>, IAsyncLifetime
{
    private RunningServer _running = null!;
    private BrowserPlayer _player = null!;
    private LoopbackFileServer _pages = null!;

    public async Task InitializeAsync()
    {
        _running = await RunningServer.StartAsync();
        _player = await BrowserPlayer.StartAsync();
        // The same player directory, for the alternate audio page (tests/player/audio-tracks.html).
        _pages = await LoopbackFileServer.StartAsync(_player.Directory);
    }

    public async Task DisposeAsync()
    {
        await _pages.DisposeAsync();
        await _player.DisposeAsync();
        await _running.DisposeAsync();
    }

    [Fact]
    public async Task Hls_js_lists_the_asset_audio_and_the_spanish_track_and_plays_on_after_switching_to_it()
    {
        var (created, _) = await _running.Client.WaitFinishedAsync(await _running.Client.CreateAsync(sources.Url("clip.mp4")), TimeSpan.FromMinutes(2));
        var asset = created["asset"]!.GetValue<string>();
        var added = await _running.Client.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new { asset, url = sources.Url("spanish.m4a"), desc = "Spanish", lang = "es" });
        var (job, _) = await _running.Client.WaitFinishedAsync(added["job"]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(2));
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());

        var stdout = await MediaClips.RunAsync("node",
            [Path.Combine(_player.Directory, "play.mjs"),
             "--page", _pages.UrlOf("audio-tracks.html"),
             "--player", "hls",
             "--src", $"{_running.Server.Url}/{asset}.m3u8",
             "--until", "3",
             "--timeout", "25000"],
            CancellationToken.None);
        var report = JsonNode.Parse(stdout)!.AsObject();

        Assert.True(report["fatal"] is null && !report["timedOut"]!.GetValue<bool>(), stdout);
        var tracks = report["audioTracks"]!.AsArray().Select(t => (t!["name"]!.GetValue<string>(), t["lang"]!.GetValue<string>())).ToList();
        Assert.Equal([("English", "en"), ("Spanish", "es")], tracks);
        Assert.Equal(1, report["switchedTo"]!.GetValue<int>());
        // Fragments of the new track were buffered (one of the old track's may still have been in flight), and the
        // clock (counted only from then) passed 3 s.
        var after = report["audioAfterSwitch"]!.AsArray().Select(u => u!.GetValue<string>()).ToList();
        Assert.True(report["newTrackBuffered"]!.GetValue<bool>() && after.Any(u => u.Contains($"/{asset}/audio1/", StringComparison.Ordinal)), stdout);
        Assert.True(report["currentTime"]!.GetValue<double>() > 3, stdout);
        Assert.DoesNotContain(report["errors"]!.AsArray(), e => e!.GetValue<string>() == "bufferSeekOverHole");
    }
}
