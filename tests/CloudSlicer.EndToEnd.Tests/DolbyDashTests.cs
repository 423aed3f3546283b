namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// Issue 7 item 3 as DASH sees it: an asset with a dolby (E-AC-3) alternate track, whose master lists every ray twice
/// (once per audio group), has an MPD listing each ray once and each audio rendition with its language, and dash.js
/// plays it (Chromium cannot decode E-AC-3, so dash.js leaves that AdaptationSet out and plays the AAC one).
/// </summary>
public sealed class DolbyDashTests(AudioTrackSources sources) : IClassFixture<AudioTrackSources>, IAsyncLifetime
{
    private RunningServer _running = null!;
    private BrowserPlayer _player = null!;

    public async Task InitializeAsync()
    {
        _running = await RunningServer.StartAsync();
        _player = await BrowserPlayer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _player.DisposeAsync();
        await _running.DisposeAsync();
    }

    [Fact]
    public async Task The_mpd_of_an_asset_with_a_dolby_track_lists_each_ray_once_and_dash_js_plays_it()
    {
        var (created, _) = await _running.Client.WaitFinishedAsync(await _running.Client.CreateAsync(sources.Url("clip.mp4")), TimeSpan.FromMinutes(2));
        var asset = created["asset"]!.GetValue<string>();
        var added = await _running.Client.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new { asset, url = sources.Url("surround.m4a"), desc = "Surround", lang = "de", dolby = 1 });
        var (job, _) = await _running.Client.WaitFinishedAsync(added["job"]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(2));
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        var master = await _running.Http.GetStringAsync($"/{asset}.m3u8");
        var variants = master.Split('\n').Count(l => l.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal));

        using var response = await _running.Http.GetAsync($"/{asset}.mpd");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var mpd = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());

        var sets = mpd.Descendants().Where(e => e.Name.LocalName == "AdaptationSet").ToList();
        var rays = sets.Single(s => s.Attribute("contentType")!.Value == "video").Elements().Where(e => e.Name.LocalName == "Representation")
            .Select(r => r.Attribute("id")!.Value).ToList();
        Assert.Equal(rays.Distinct(), rays);
        Assert.Equal(variants, 2 * rays.Count);
        var audio = sets.Where(s => s.Attribute("contentType")!.Value == "audio")
            .Select(s => (s.Attribute("lang")!.Value, s.Elements().Single(e => e.Name.LocalName == "Representation").Attribute("codecs")!.Value))
            .ToList();
        Assert.Equal([("en", "mp4a.40.2"), ("de", "mp4a.40.2"), ("de", "ec-3")], audio);

        var report = await _player.PlayAsync("dash", $"{_running.Server.Url}/{asset}.mpd", 2);
        Assert.True(report.Fatal is null && !report.TimedOut && report.CurrentTime > 2, report.Raw);
    }
}
