using System.Net;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// Issue 6's "done when", as a customer's unchanged client sees it: a job with <c>external_id</c>, <c>meta</c>,
/// <c>breaks</c>, <c>poster</c> and <c>done_url</c> yields an asset whose <c>/api2/asset/get</c> shows them,
/// which plays at <c>/ext/{owner}/{external_id}.m3u8</c> and <c>/{asset}.mpd</c>, and whose done_url got the form.
/// </summary>
public sealed class SlicebotAssetTests(Sources sources) : IClassFixture<Sources>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_job_with_slicebot_settings_yields_an_asset_that_shows_them_plays_and_notifies()
    {
        using var data = new TempDirectory();
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var server = await ServerProcess.StartAsync(
            data.Path, new Dictionary<string, string> { ["CLOUDSLICER_Notifications__PollInterval"] = "00:00:00.100" });
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client = new Api2Client(http, server.Owner!, server.Secret!);

        // clip.mp4 is 10 s: cut 2-4 s out (an ad break), poster from 6 s.
        var id = await client.CreateAsync(sources.Url("clip.mp4"), new
        {
            external_id = "launch-2026",
            meta = "show=Launch,,,season=1",
            meta_int = "episode=3",
            breaks = "2-4",
            poster = "6000",
            done_url = receiver.Url("/done"),
            description = "Launch video",
        });
        var (job, _) = await client.WaitFinishedAsync(id, Deadline);
        Assert.Equal("done", job["state"]!.GetValue<string>());
        var assetId = job["asset"]!.GetValue<string>();

        var got = await client.CallAsync("/api2/asset/get", new { external_id = "launch-2026" });
        Assert.Equal(0, got["error"]!.GetValue<int>());
        var asset = got["asset"]!.AsObject();
        Assert.Equal((assetId, "launch-2026", "Launch video"), (asset["id"]!.GetValue<string>(), asset["external_id"]!.GetValue<string>(), asset["desc"]!.GetValue<string>()));
        Assert.Equal("Launch", asset["meta"]!["show"]!.GetValue<string>());
        Assert.Equal(3, asset["meta"]!["episode"]!.GetValue<long>());
        Assert.InRange(asset["duration"]!.GetValue<double>(), 7.5, 8.5);   // 10 s less the 2 s break
        var adBreak = Assert.Single(asset["break_offsets"]!.AsArray())!;
        Assert.Equal("AD BREAK", adBreak["break_type"]!.GetValue<string>());
        Assert.InRange(adBreak["offset"]!.GetValue<double>(), 1.9, 2.1);
        Assert.EndsWith("/poster.jpg", asset["poster_url"]!.GetValue<string>(), StringComparison.Ordinal);
        using (var poster = await http.GetAsync(new Uri(asset["poster_url"]!.GetValue<string>())))
        {
            Assert.Equal(HttpStatusCode.OK, poster.StatusCode);
            Assert.Equal("image/jpeg", poster.Content.Headers.ContentType?.MediaType);
        }

        // It plays by external id (HLS) and as DASH, at the cut length.
        var ext = $"{server.Url}/ext/{server.Owner}/launch-2026.m3u8";
        Assert.InRange(await Media.ProbeDurationAsync(ext), 7.5, 8.5);
        var mpd = $"{server.Url}/{assetId}.mpd";
        Assert.InRange(await Media.ProbeDurationAsync(mpd), 7.5, 8.5);
        Assert.Contains("audio", await Media.ProbeStreamTypesAsync(mpd));

        await Eventually.UntilAsync(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1, Deadline, "the done notification");
        var done = Assert.Single(receiver.Accepted, r => r.Path == "/done");
        Assert.Equal(("ok", assetId, "launch-2026", "clip.mp4"), (done.Form["status"], done.Form["asset_id"], done.Form["external_id"], done.Form["filename"]));
        Assert.True(done.SignedWith(server.Secret!));
    }
}
