using System.Globalization;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// Issue 7 item 1: a quick clip plays in a real browser. hls.js (the clip's master) and dash.js (its MPD) in headless
/// Chromium play it from its first frame and on across the join of a re-cut edge slice and a reused one. The clip
/// keeps its source's timeline (docs/clips.md), so both players must be told where it starts.
/// </summary>
public sealed class QuickClipPlaybackTests(QuickClipFixture fixture) : IClassFixture<QuickClipFixture>, IAsyncLifetime
{
    // [3, 12) s of the 14.5 s source, whose slices start at 0, 4.1, 8.2 and 12.3 s: slice 0 is re-cut (3-4.1 s), slice 1
    // is reused as it is; in the clip's own time that join is at 1.1 s.
    private const long OffsetMs = 3000;
    private const long DurationMs = 9000;
    private const double Join = 4.1 - 3.0;
    private const double PlayPast = Join + 1.4;

    private BrowserPlayer _player = null!;
    private string _clip = "";

    public async Task InitializeAsync()
    {
        _player = await BrowserPlayer.StartAsync();
        var response = await fixture.Client.CallAsync("/api2/cloudslicer/jobs/quickclip",
            new { source = new { trim = new[] { OffsetMs, DurationMs } }, args = new { beam_id = fixture.Source } });
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        var (job, _) = await fixture.Client.WaitFinishedAsync(response["job"]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(2));
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        _clip = job["asset"]!.GetValue<string>();
    }

    public async Task DisposeAsync() => await _player.DisposeAsync();

    [Fact]
    public async Task Hls_js_plays_a_quick_clip_from_its_first_frame_across_the_join_of_a_recut_and_a_reused_slice()
    {
        // The clip's playlists name the source's slices: the join is between seg_00000 (re-cut) and seg_00001 (reused).
        var playlist = await fixture.Http.GetStringAsync($"/{_clip}/a/index.m3u8");
        Assert.Contains("seg_00000.m4s", playlist, StringComparison.Ordinal);
        Assert.Contains("seg_00001.m4s", playlist, StringComparison.Ordinal);

        var report = await _player.PlayAsync("hls", $"{fixture.Server.Url}/{_clip}.m3u8", PlayPast);

        AssertPlayedAcrossTheJoin(report);
        Assert.DoesNotContain("bufferSeekOverHole", report.Errors);
    }

    [Fact]
    public async Task Dash_js_plays_a_quick_clips_mpd_from_its_start_across_the_join_of_a_recut_and_a_reused_slice()
    {
        var report = await _player.PlayAsync("dash", $"{fixture.Server.Url}/{_clip}.mpd", PlayPast);

        AssertPlayedAcrossTheJoin(report);
    }

    [Fact]
    public async Task A_quick_clips_mpd_offsets_every_track_by_the_clips_start()
    {
        var mpd = System.Xml.Linq.XDocument.Parse(await fixture.Http.GetStringAsync($"/{_clip}.mpd"));

        var templates = mpd.Descendants().Where(e => e.Name.LocalName == "SegmentTemplate").ToList();
        Assert.NotEmpty(templates);
        Assert.All(templates, t =>
        {
            var timescale = double.Parse(t.Attribute("timescale")!.Value, CultureInfo.InvariantCulture);
            var offset = double.Parse(t.Attribute("presentationTimeOffset")?.Value ?? "0", CultureInfo.InvariantCulture) / timescale;
            Assert.InRange(offset, (OffsetMs / 1000.0) - 0.001, (OffsetMs / 1000.0) + (1 / 30.0));
            Assert.Equal("0", t.Attribute("startNumber")!.Value);
        });
    }

    /// <summary>
    /// No fatal error, the clock past the join, and both tracks buffered from the clip's start (player time 0) within
    /// 0.1 s: a player that put the clip at its source offset would buffer from 3 s, or seek over a hole to get there.
    /// </summary>
    private static void AssertPlayedAcrossTheJoin(PlaybackReport report)
    {
        Assert.True(report.Fatal is null, report.Raw);
        Assert.False(report.TimedOut, report.Raw);
        Assert.True(report.Playing && report.CurrentTime > PlayPast, report.Raw);
        Assert.True(report.BufferedStart.ContainsKey("video") && report.BufferedStart.ContainsKey("audio"), report.Raw);
        Assert.True(Math.Abs(report.BufferedStart["video"]) < 0.1 && Math.Abs(report.BufferedStart["audio"]) < 0.1,
            $"video buffered from {report.BufferedStart["video"]} s, audio from {report.BufferedStart["audio"]} s: {report.Raw}");
    }
}
