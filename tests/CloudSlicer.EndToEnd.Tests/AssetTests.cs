using System.Net;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// The real server slicing a real clip: the Slicebot settings a job carries end up on the asset that
/// /api2/asset/get shows, the asset plays at /ext/{owner}/{external_id}.m3u8, auto_replace moves the external
/// id to the new asset and deletes the old one, and a deleted asset's content is gone.
/// </summary>
public sealed class AssetTests(Sources sources) : IClassFixture<Sources>, IAsyncLifetime
{
    private RunningServer _running = null!;

    public async Task InitializeAsync() => _running = await RunningServer.StartAsync("--slicers", "2");

    public async Task DisposeAsync() => await _running.DisposeAsync();

    private async Task<JsonObject> SliceAsync(object args)
    {
        var id = await _running.Client.CreateAsync(sources.Url("clip.mp4"), args);
        var (job, _) = await _running.Client.WaitFinishedAsync(id, TimeSpan.FromMinutes(2));
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        return job;
    }

    private async Task<JsonObject> GetAssetAsync(object parameters)
    {
        var response = await _running.Client.CallAsync("/api2/asset/get", parameters);
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response["asset"]!.AsObject();
    }

    [Fact]
    public async Task A_job_with_external_id_meta_and_desc_makes_an_asset_that_shows_them_plays_by_external_id_and_deletes()
    {
        var job = await SliceAsync(new { external_id = "e2e-pilot", meta = "genre=drama, crime,,,rating=PG", meta_int = "season=2", desc = "E2E pilot", skip_drm = 1 });
        var id = job["asset"]!.GetValue<string>();

        var asset = await GetAssetAsync(new { external_id = "e2e-pilot" });
        Assert.Equal(
            (id, "e2e-pilot", "E2E pilot", "ready", "vod", "clip.mp4", 0, 0),
            (asset["id"]!.GetValue<string>(), asset["external_id"]!.GetValue<string>(), asset["desc"]!.GetValue<string>(), asset["state"]!.GetValue<string>(),
             asset["job_type"]!.GetValue<string>(), asset["orig_filename"]!.GetValue<string>(), asset["require_drm"]!.GetValue<int>(), asset["autoexpire"]!.GetValue<int>()));
        Assert.Equal("""{"genre":"drama, crime","rating":"PG","season":2}""", asset["meta"]!.ToJsonString());
        Assert.InRange(asset["duration"]!.GetValue<double>(), 9.5, 10.5);
        Assert.Equal(3, asset["slices"]!.GetValue<int>());   // 10 s in 4.096 s slices
        Assert.Equal(2, asset["rays"]!.AsArray().Count);
        Assert.Equal($"{_running.Server.Url}/{id}.m3u8", asset["playback_url"]!.GetValue<string>());
        Assert.Equal(job["id"]!.GetValue<string>(), asset["job"]!.GetValue<string>());

        // Played as a player would, through the /ext redirect: the master's relative URIs resolve.
        var extUrl = $"{_running.Server.Url}/ext/{_running.Server.Owner}/e2e-pilot.m3u8";
        Assert.InRange(await Media.ProbeDurationAsync(extUrl), 9.5, 10.5);
        Assert.Contains("audio", await Media.ProbeStreamTypesAsync(extUrl));
        using (var poster = await _running.Http.GetAsync(asset["poster_url"]!.GetValue<string>()))
        {
            Assert.Equal(HttpStatusCode.OK, poster.StatusCode);
        }

        var deleted = await _running.Client.CallAsync("/api2/asset/delete", new { id });
        Assert.Equal($"""[["{id}","deleted"]]""", deleted["actions"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await _running.Http.GetAsync($"/{id}.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _running.Http.GetAsync(extUrl)).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_running.DataPath, "blobs", "assets", id)));
    }

    [Fact]
    public async Task Auto_replace_gives_the_external_id_to_the_new_asset_and_deletes_the_old_one()
    {
        var first = (await SliceAsync(new { external_id = "e2e-replace", trim = "0,2000" }))["asset"]!.GetValue<string>();

        // Without replacement the id is taken: the job fails for good, and the first asset stays.
        var refusedId = await _running.Client.CreateAsync(sources.Url("clip.mp4"), new { external_id = "e2e-replace", trim = "0,2000" });
        var (refused, _) = await _running.Client.WaitFinishedAsync(refusedId, TimeSpan.FromMinutes(2));
        Assert.Equal(("error", 1), (refused["state"]!.GetValue<string>(), refused["attempts"]!.GetValue<int>()));
        Assert.Contains("auto_replace", refused["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(first, (await GetAssetAsync(new { external_id = "e2e-replace" }))["id"]!.GetValue<string>());

        var second = (await SliceAsync(new { external_id = "_replace:e2e-replace", trim = "0,2000" }))["asset"]!.GetValue<string>();

        Assert.Equal(second, (await GetAssetAsync(new { external_id = "e2e-replace" }))["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _running.Http.GetAsync($"/{first}.m3u8")).StatusCode);
        var gone = await _running.Client.CallAsync("/api2/asset/get", new { id = first });
        Assert.Equal(1, gone["error"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await _running.Http.GetAsync($"/{second}.m3u8")).StatusCode);
    }

    [Theory]
    [InlineData("libraries", "lib\u0007", "libraries must be")]
    [InlineData("meta_int", "season=two", "meta_int")]
    [InlineData("autoexpire", "-3", "autoexpire")]
    public async Task An_unusable_record_setting_is_refused_at_create_time_naming_it(string key, string value, string fragment)
    {
        var response = await _running.Client.CallAsync("/api2/cloudslicer/jobs/create", new JsonObject
        {
            ["source"] = new JsonObject { ["url"] = sources.Url("clip.mp4") },
            ["args"] = new JsonObject { [key] = value },
        });
        Assert.Equal(1, response["error"]!.GetValue<int>());
        Assert.Contains(fragment, response["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
