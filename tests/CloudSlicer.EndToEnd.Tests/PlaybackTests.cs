namespace CloudSlicer.EndToEnd.Tests;

/// <summary>Real players in a real browser: hls.js and dash.js in headless Chromium play an asset from the real server.</summary>
public sealed class PlaybackTests(PlaybackFixture asset) : IClassFixture<PlaybackFixture>
{
    private const double PlayedSeconds = 2;

    [Fact]
    public async Task Hls_js_plays_the_asset_from_its_first_frame_with_audio_and_video_starting_together()
    {
        var report = await asset.Player.PlayAsync("hls", $"{asset.ServerUrl}/{asset.Asset}.m3u8", PlayedSeconds);

        AssertPlayed(report);
        // The first buffered range of each SourceBuffer, as hls.js appended them: a video track starting after
        // the audio one is the hole hls.js then has to seek over.
        Assert.True(report.BufferedStart.ContainsKey("video") && report.BufferedStart.ContainsKey("audio"), report.Raw);
        var (video, audio) = (report.BufferedStart["video"], report.BufferedStart["audio"]);
        Assert.True(Math.Abs(video) < 0.001 && Math.Abs(audio) < 0.001, $"video starts at {video} s, audio at {audio} s: {report}");
        Assert.DoesNotContain("bufferSeekOverHole", report.Errors);
    }

    [Fact]
    public async Task Dash_js_plays_the_asset_from_its_mpd()
    {
        var report = await asset.Player.PlayAsync("dash", $"{asset.ServerUrl}/{asset.Asset}.mpd", PlayedSeconds);

        AssertPlayed(report);
    }

    [Fact]
    public async Task The_mpd_is_served_as_dash_xml_to_any_origin_and_ffprobe_finds_every_ray_and_the_audio()
    {
        var url = $"{asset.ServerUrl}/{asset.Asset}.mpd";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Origin", "https://player.example");
        using var response = await asset.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/dash+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        // The MPD points at the HLS slices themselves: no second copy.
        var mpd = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<BaseURL>{asset.Asset}/</BaseURL>", mpd, StringComparison.Ordinal);

        var streams = await Media.RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,width,height", "-of", "csv=p=0", url);
        Assert.Equal(
            ["audio", "video,256,144", "video,426,240"],
            streams.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().Order(StringComparer.Ordinal));
        Assert.InRange(await Media.ProbeDurationAsync(url), 8.5, 9.5);
    }

    [Fact]
    public async Task An_unknown_asset_has_no_mpd()
    {
        using var response = await asset.Http.GetAsync($"/{new string('0', 32)}.mpd");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    private static void AssertPlayed(PlaybackReport report)
    {
        Assert.True(report.Fatal is null, report.Raw);
        Assert.False(report.TimedOut, report.Raw);
        Assert.True(report.Playing && report.CurrentTime > PlayedSeconds, report.Raw);
    }
}
