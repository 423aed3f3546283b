using System.Net;
using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Testing;

namespace CloudSlicer.Api.Tests.Assets;

/// <summary>
/// /api2/asset/get, list, update and delete over real Kestrel and SQLite, with records written through the
/// store (no slicing needed), and the content routes that ask those records.
/// </summary>
public sealed class AssetsApiTests : IAsyncLifetime
{
    private const string PublicUrl = "https://cdn.example.com";
    private ApiServer _server = null!;
    private Api2Client _alice = null!;
    private Api2Client _bob = null!;

    private IAssetStore Store => _server.Service<IAssetStore>();

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync(settings: new Dictionary<string, string?> { ["PublicUrl"] = PublicUrl });
        _alice = await _server.NewOwnerClientAsync();
        _bob = await _server.NewOwnerClientAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Publishes a record for <paramref name="owner"/> with a master and one slice on disk, as the slicer would.</summary>
    private async Task<AssetManifest> PublishAsync(Api2Client owner, string? externalId = null, string desc = "Pilot")
    {
        var manifest = new AssetManifest
        {
            Id = Core.Ids.New(),
            Owner = owner.Owner,
            Job = Core.Ids.New(),
            ExternalId = externalId,
            Desc = desc,
            Meta = new Dictionary<string, AssetMetaValue> { ["genre"] = AssetMetaValue.Of("drama"), ["season"] = AssetMetaValue.Of(3) },
            Duration = 10.24,
            SliceDuration = 4.096,
            Slices = 3,
            Rays = [new Ray("a", 426, 240, 30, 400)],
            Renditions = [new Rendition("audio", "audio", "en", "audio/index.m3u8", 128)],
            BreakOffsets = [new BreakOffset(BreakOffset.AdBreak, 4.096, 30), new BreakOffset(BreakOffset.Boundary, 8, 2.24, "credits")],
            Poster = "poster.jpg",
            Thumbnails = [new ThumbnailSet("thumbs/small/", 128, 72, 3)],
            OrigFilename = "pilot.mp4",
            AutoexpireHours = 24,
            SkipDrm = true,
        };
        var root = Path.Combine(_server.DataDirectory, "blobs", "assets", manifest.Id, "v1");
        Directory.CreateDirectory(Path.Combine(root, "a"));
        await File.WriteAllTextAsync(Path.Combine(root, "master.m3u8"), "#EXTM3U\n");
        await File.WriteAllTextAsync(Path.Combine(root, "a", "seg_00000.m4s"), "slice");
        return Assert.IsType<PublishOutcome.Published>(await Store.PublishAsync(manifest, false, default)).Asset;
    }

    private static JsonObject Ok(JsonObject response)
    {
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response;
    }

    private static void AssertError(JsonObject response, string fragment)
    {
        Assert.True(response["error"]!.GetValue<int>() == 1, response.ToJsonString());
        Assert.Contains(fragment, response["msg"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_by_id_answers_every_member_of_the_asset_with_absolute_urls()
    {
        var published = await PublishAsync(_alice, "show-1");

        var asset = Ok(await _alice.CallAsync("/api2/asset/get", new { id = published.Id }))["asset"]!.AsObject();

        Assert.Equal(
            ["id", "desc", "duration", "state", "external_id", "created", "job_type", "rays", "slices", "slice_dur", "autoexpire", "expires",
             "require_drm", "skip_drm", "libraries", "orig_filename", "meta", "break_offsets", "poster_url", "thumb_url", "thumbs",
             "playback_url", "mp4_url", "audio_tracks", "caption_tracks", "owner", "job", "version"],
            asset.Select(p => p.Key));
        var root = $"{PublicUrl}/{published.Id}";
        Assert.Equal(
            (published.Id, "Pilot", 10.24, "ready", "show-1", published.Created, "vod", 3, 4.096, 24, 0, 1, "pilot.mp4"),
            (asset["id"]!.GetValue<string>(), asset["desc"]!.GetValue<string>(), asset["duration"]!.GetValue<double>(), asset["state"]!.GetValue<string>(),
             asset["external_id"]!.GetValue<string>(), asset["created"]!.GetValue<long>(), asset["job_type"]!.GetValue<string>(), asset["slices"]!.GetValue<int>(),
             asset["slice_dur"]!.GetValue<double>(), asset["autoexpire"]!.GetValue<int>(), asset["require_drm"]!.GetValue<int>(), asset["skip_drm"]!.GetValue<int>(),
             asset["orig_filename"]!.GetValue<string>()));
        Assert.True(asset["created"]!.GetValue<long>() > 1_700_000_000_000, "created is Unix milliseconds");
        Assert.Equal(published.Created + (24 * 3_600_000), asset["expires"]!.GetValue<long>());
        Assert.Equal("[]", asset["libraries"]!.ToJsonString());
        Assert.Equal("""{"genre":"drama","season":3}""", asset["meta"]!.ToJsonString());
        Assert.Equal(
            """[{"break_type":"AD BREAK","offset":4.096,"duration":30},{"break_type":"BOUNDARY","offset":8,"duration":2.24,"name":"credits"}]""",
            asset["break_offsets"]!.ToJsonString());
        Assert.Equal("""[{"name":"a","width":426,"height":240,"fps":30,"kbps":400}]""", asset["rays"]!.ToJsonString());
        Assert.Equal($"{root}.m3u8", asset["playback_url"]!.GetValue<string>());
        Assert.Equal("", asset["mp4_url"]!.GetValue<string>());   // no export yet
        Assert.Equal($"{root}/poster.jpg", asset["poster_url"]!.GetValue<string>());
        Assert.Equal($"{root}/thumbs/small/00000.jpg", asset["thumb_url"]!.GetValue<string>());
        Assert.Equal(
            $$"""[{"prefix":"thumbs/small/","width":128,"height":72,"count":3,"url_prefix":"{{root}}/thumbs/small/"}]""",
            asset["thumbs"]!.ToJsonString());
        Assert.Equal($$"""[{"name":"audio","lang":"en","desc":"","codec":"","kbps":128,"url":"{{root}}/audio/index.m3u8"}]""", asset["audio_tracks"]!.ToJsonString());
    }

    [Fact]
    public async Task Get_by_external_id_ids_or_external_ids_ignores_duplicates_and_lists_what_was_not_found()
    {
        var one = await PublishAsync(_alice, "show-1");
        var two = await PublishAsync(_alice, "show-2");
        var bobs = await PublishAsync(_bob, "show-3");

        Assert.Equal(one.Id, Ok(await _alice.CallAsync("/api2/asset/get", new { external_id = "show-1" }))["asset"]!["id"]!.GetValue<string>());

        var byIds = Ok(await _alice.CallAsync("/api2/asset/get", new { ids = new[] { two.Id, one.Id, two.Id, bobs.Id, "nonsense" } }));
        Assert.Equal([two.Id, one.Id], byIds["assets"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal($"""["{bobs.Id}","nonsense"]""", byIds["not_found"]!.ToJsonString());

        var byExternal = Ok(await _alice.CallAsync("/api2/asset/get", new { external_ids = new[] { "show-2", "show-2", "show-3" } }));
        Assert.Equal([two.Id], byExternal["assets"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal("""["show-3"]""", byExternal["not_found"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{}""", "exactly one of id, external_id, ids, external_ids")]
    [InlineData("""{"id": "x", "external_id": "y"}""", "exactly one")]
    [InlineData("""{"id": 42}""", "'id' must be a non-empty string")]
    [InlineData("""{"id": "0123456789abcdef0123456789abcdef"}""", "Not found")]
    [InlineData("""{"id": "../../etc"}""", "Not found")]
    [InlineData("""{"external_id": "nobody"}""", "Not found")]
    [InlineData("""{"ids": {"a": 1}}""", "'ids' must be a list")]
    [InlineData("""{"external_ids": [1, 2]}""", "'external_ids' must be a list of strings")]
    public async Task Bad_get_requests_are_refused_with_what_was_wrong(string parameters, string fragment)
    {
        AssertError(await _alice.CallAsync("/api2/asset/get", JsonNode.Parse(parameters)!.AsObject()), fragment);
    }

    [Fact]
    public async Task Get_takes_at_most_a_thousand_ids()
    {
        var ids = Enumerable.Range(0, 1001).Select(i => $"ext-{i}").ToArray();
        AssertError(await _alice.CallAsync("/api2/asset/get", new { external_ids = ids }), "at most 1000");
        Ok(await _alice.CallAsync("/api2/asset/get", new { external_ids = ids[..1000] }));
    }

    [Fact]
    public async Task Another_owners_asset_is_not_found_by_get_update_delete_list_or_its_ext_url()
    {
        var asset = await PublishAsync(_alice, "show-1");

        AssertError(await _bob.CallAsync("/api2/asset/get", new { id = asset.Id }), "Not found");
        AssertError(await _bob.CallAsync("/api2/asset/get", new { external_id = "show-1" }), "Not found");
        AssertError(await _bob.CallAsync("/api2/asset/update", new { id = asset.Id, desc = "mine" }), "Not found");
        Assert.Equal($"""[["{asset.Id}","Not found"]]""", Ok(await _bob.CallAsync("/api2/asset/delete", new { id = asset.Id }))["actions"]!.ToJsonString());
        Assert.Empty(Ok(await _bob.CallAsync("/api2/asset/list"))["assets"]!.AsArray());
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Http.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await noRedirect.GetAsync($"/ext/{_bob.Owner}/show-1.m3u8")).StatusCode);

        var mine = Ok(await _alice.CallAsync("/api2/asset/get", new { id = asset.Id }))["asset"]!;
        Assert.Equal("Pilot", mine["desc"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync($"/{asset.Id}.m3u8")).StatusCode);
    }

    [Fact]
    public async Task List_is_newest_first_with_limit_skip_and_search()
    {
        var ids = new List<string>();
        foreach (var desc in new[] { "first", "The Big Game", "third" })
        {
            ids.Add((await PublishAsync(_alice, desc: desc)).Id);   // one millisecond or several: publish order decides
        }

        Assert.Equal(ids.AsEnumerable().Reverse(), Ok(await _alice.CallAsync("/api2/asset/list"))["assets"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal([ids[1]], Ok(await _alice.CallAsync("/api2/asset/list", new { limit = 1, skip = 1 }))["assets"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal([ids[1]], Ok(await _alice.CallAsync("/api2/asset/list", new { search = "big" }))["assets"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        AssertError(await _alice.CallAsync("/api2/asset/list", new { limit = -1 }), "limit");
        AssertError(await _alice.CallAsync("/api2/asset/list", new { search = 5 }), "search");
    }

    [Fact]
    public async Task Update_sets_desc_adds_meta_keys_and_with_both_ids_assigns_the_external_id()
    {
        var asset = await PublishAsync(_alice, "show-1");
        await PublishAsync(_alice, "show-2");

        var updated = Ok(await _alice.CallAsync("/api2/asset/update", new { external_id = "show-1", desc = "Renamed", meta = new { season = 4, rating = "PG" } }))["asset"]!;
        Assert.Equal("Renamed", updated["desc"]!.GetValue<string>());
        Assert.Equal("""{"genre":"drama","season":4,"rating":"PG"}""", updated["meta"]!.ToJsonString());

        var assigned = Ok(await _alice.CallAsync("/api2/asset/update", new { id = asset.Id, external_id = "show-9" }))["asset"]!;
        Assert.Equal("show-9", assigned["external_id"]!.GetValue<string>());
        Assert.Equal(asset.Id, Ok(await _alice.CallAsync("/api2/asset/get", new { external_id = "show-9" }))["asset"]!["id"]!.GetValue<string>());

        AssertError(await _alice.CallAsync("/api2/asset/update", new { id = asset.Id, external_id = "show-2" }), "already names asset");
        AssertError(await _alice.CallAsync("/api2/asset/update", new { id = asset.Id, meta = "a=b" }), "'meta' must be a dictionary");
        AssertError(await _alice.CallAsync("/api2/asset/update", new { id = asset.Id, meta = new { a = new[] { 1 } } }), "field 'a'");
        AssertError(await _alice.CallAsync("/api2/asset/update", new { id = asset.Id, desc = 5 }), "'desc' must be a string");
        AssertError(await _alice.CallAsync("/api2/asset/update", new { id = asset.Id, external_id = new string('x', 300) }), "external_id");
        AssertError(await _alice.CallAsync("/api2/asset/update", new { desc = "x" }), "Missing parameter 'id' or 'external_id'");
        Assert.Equal("show-9", Ok(await _alice.CallAsync("/api2/asset/get", new { id = asset.Id }))["asset"]!["external_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_makes_the_content_404_at_once_and_removes_the_blobs()
    {
        var asset = await PublishAsync(_alice, "show-1");
        var other = await PublishAsync(_alice);
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync($"/{asset.Id}/a/seg_00000.m4s")).StatusCode);   // now remembered

        var actions = Ok(await _alice.CallAsync("/api2/asset/delete", new { ids = new[] { asset.Id, asset.Id, "nonsense" } }))["actions"]!;

        Assert.Equal($"""[["{asset.Id}","deleted"],["nonsense","Not found"]]""", actions.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync($"/{asset.Id}.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync($"/{asset.Id}/a/seg_00000.m4s")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_server.DataDirectory, "blobs", "assets", asset.Id)));
        AssertError(await _alice.CallAsync("/api2/asset/get", new { id = asset.Id }), "Not found");
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync($"/{other.Id}.m3u8")).StatusCode);
        AssertError(await _alice.CallAsync("/api2/asset/delete"), "Missing parameter 'id'");
    }

    [Fact]
    public async Task The_ext_url_redirects_to_the_owners_asset_with_that_external_id()
    {
        var asset = await PublishAsync(_alice, "show one");
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Http.BaseAddress };

        using var redirect = await noRedirect.GetAsync($"/ext/{_alice.Owner}/show%20one.m3u8");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal($"/{asset.Id}.m3u8", redirect.Headers.Location!.OriginalString);
        Assert.Equal("*", redirect.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.True(redirect.Headers.CacheControl!.NoStore);

        Assert.Equal("#EXTM3U\n", await _server.Http.GetStringAsync($"/ext/{_alice.Owner}/show%20one.m3u8"));
        Assert.Equal(HttpStatusCode.NotFound, (await noRedirect.GetAsync($"/ext/{_alice.Owner}/nobody.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await noRedirect.GetAsync("/ext/not-an-owner/show%20one.m3u8")).StatusCode);
    }

    [Fact]
    public async Task Files_of_an_asset_without_a_record_are_not_served()
    {
        // Files alone (a crashed publish, an asset from before records) do not make an asset: the record does.
        var id = Core.Ids.New();
        var root = Path.Combine(_server.DataDirectory, "blobs", "assets", id, "v1");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "master.m3u8"), "#EXTM3U\n");

        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync($"/{id}.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync($"/{id}/v1/master.m3u8")).StatusCode);
    }

    [Fact]
    public async Task Asset_calls_are_signed_and_unknown_asset_paths_say_what_exists()
    {
        using var unsigned = await _server.Http.PostAsync("/api2/asset/list", new FormUrlEncodedContent([]));
        var body = JsonNode.Parse(await unsigned.Content.ReadAsStringAsync())!;
        Assert.Equal(1, body["error"]!.GetValue<int>());

        var unknown = JsonNode.Parse(await _server.Http.GetStringAsync("/api2/asset/nope"))!;
        Assert.Contains("/api2/asset/get, list, update and delete", unknown["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
