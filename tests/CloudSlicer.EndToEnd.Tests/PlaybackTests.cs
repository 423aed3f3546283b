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

    private static void AssertPlayed(PlaybackReport report)
    {
        Assert.True(report.Fatal is null, report.Raw);
        Assert.False(report.TimedOut, report.Raw);
        Assert.True(report.Playing && report.CurrentTime > PlayedSeconds, report.Raw);
    }
}
