using System.Net;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// One real server (two slicers) with two owners: Alice, who has a rich asset (meta, poster, an ad break, then an
/// alternate audio track, a caption track and an export, each a version of its own) and a plain one, both in a
/// library shared with Bob.
/// </summary>
public sealed class LibraryCopyFixture : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _sources = new();
    private LoopbackFileServer _files = null!;

    public CloudSlicerProcess Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public Api2Client Alice { get; private set; } = null!;

    public Api2Client Bob { get; private set; } = null!;

    public string DataPath => _data.Path;

    /// <summary>Meta, poster, a 1 s break out of 6 s, a Spanish track, a caption track and an MP4 export: files in four versions.</summary>
    public string Rich { get; private set; } = "";

    public string Plain { get; private set; } = "";

    public string Url(string name) => _files.UrlOf(name);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_sources.Path);
        await Task.WhenAll(
            MediaClips.GenerateAsync(Path.Combine(_sources.Path, "clip.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(6), Width = 320, Height = 180, FrameRate = 30 }),
            MediaClips.GenerateAsync(Path.Combine(_sources.Path, "spanish.m4a"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(5), WithVideo = false, Container = "m4a" }));
        _files = await LoopbackFileServer.StartAsync(_sources.Path);
        Server = await ServerProcess.StartAsync(_data.Path, null, "--slicers", "2");
        Http = new HttpClient { BaseAddress = new Uri(Server.Url) };
        Alice = new Api2Client(Http, Server.Owner!, Server.Secret!);
        Bob = await NewOwnerAsync();

        var rich = SliceAsync(new
        {
            external_id = "rich",
            description = "Rich asset",
            meta = "show=Launch",
            meta_int = "episode=3",
            breaks = "2-3",
            poster = "1000",
        });
        var plain = SliceAsync(new { description = "Plain asset" });
        (Rich, Plain) = (await rich, await plain);
        // One at a time: each changes the asset, making a version of its own.
        await ChangeAsync("add_track_audio", new { asset = Rich, url = Url("spanish.m4a"), desc = "Spanish", lang = "es" });
        var ttml = CaptionTrackTests.Ttml(("00:00:01.000", "00:00:02.000", "Copied caption"));
        await ChangeAsync("add_track_vtt", new { asset = Rich, ttml_data = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ttml)), lang = "en", desc = "English" });
        await ChangeAsync("create_export", new { asset = Rich, aaclc = 1 });

        var library = await LibraryAsync(Alice, "Shared with Bob", Rich, Plain);
        Ok(await Alice.CallAsync("/api2/library/share", new { library_id = library, owner = Bob.Owner }));
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await _files.DisposeAsync();
        _sources.Dispose();
        _data.Dispose();
    }

    private async Task ChangeAsync(string endpoint, object parameters)
    {
        var response = Ok(await Alice.CallAsync($"/api2/cloudslicer/jobs/{endpoint}", parameters));
        await DoneAsync(Alice, response["job"]!["id"]!.GetValue<string>());
    }

    /// <summary>A new owner of this server, made by <c>cloudslicer owner add</c> beside the running server.</summary>
    public async Task<Api2Client> NewOwnerAsync()
    {
        var added = await Cli.RunAsync(null, "owner", "add", "--data", DataPath);
        Assert.True(added.ExitCode == 0, added.Stderr);
        var owner = JsonNode.Parse(added.Stdout)!;
        return new Api2Client(Http, owner["owner"]!.GetValue<string>(), owner["secret"]!.GetValue<string>());
    }

    /// <summary>Alice's new asset from the 6 s clip.</summary>
    public async Task<string> SliceAsync(object args) =>
        (await DoneAsync(Alice, await Alice.CreateAsync(Url("clip.mp4"), args)))["asset"]!.GetValue<string>();

    public static async Task<JsonObject> DoneAsync(Api2Client client, string job)
    {
        var (finished, _) = await client.WaitFinishedAsync(job, Deadline);
        Assert.True(finished["state"]!.GetValue<string>() == "done", finished.ToJsonString());
        return finished;
    }

    public static async Task<string> LibraryAsync(Api2Client owner, string desc, params string[] assets)
    {
        var id = Ok(await owner.CallAsync("/api2/library/create", new { desc }))["library"]!["id"]!.GetValue<string>();
        Assert.Equal("[]", Ok(await owner.CallAsync("/api2/library/add_assets", new { library_id = id, asset_ids = assets }))["not_found"]!.ToJsonString());
        return id;
    }

    public static JsonObject Ok(JsonObject response)
    {
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response;
    }
}

/// <summary>
/// Issue 7 item 5 end to end: copies from a shared library and batches of them, on a real server with real media.
/// A copy is the caller's own asset with the original's content, record and tracks, stored under its own prefix
/// (byte for byte, nothing re-encoded), sharing nothing with the original.
/// </summary>
public sealed class LibraryCopyTests(LibraryCopyFixture fixture) : IClassFixture<LibraryCopyFixture>
{
    private const string CopyPath = "/api2/cloudslicer/jobs/copy-from-library";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_copy_is_the_callers_own_new_asset_with_the_originals_record_tracks_and_bytes_under_its_own_prefix()
    {
        var job = await CopyAsync(fixture.Bob, fixture.Rich);

        Assert.Equal($$"""{"beam_id":"{{fixture.Rich}}"}""", job["source"]!.ToJsonString());
        var copy = job["asset"]!.GetValue<string>();
        Assert.NotEqual(fixture.Rich, copy);

        var original = await AssetAsync(fixture.Alice, fixture.Rich);
        var copied = await AssetAsync(fixture.Bob, copy);
        Assert.Equal(
            (original["duration"]!.GetValue<double>(), "Rich asset", original["meta"]!.ToJsonString(), original["break_offsets"]!.ToJsonString(), "", 1),
            (copied["duration"]!.GetValue<double>(), copied["desc"]!.GetValue<string>(), copied["meta"]!.ToJsonString(), copied["break_offsets"]!.ToJsonString(),
             copied["external_id"]!.GetValue<string>(), copied["version"]!.GetValue<int>()));
        Assert.Equal("""{"show":"Launch","episode":3}""", copied["meta"]!.ToJsonString());
        Assert.Single(copied["break_offsets"]!.AsArray());
        Assert.Equal("[]", copied["libraries"]!.ToJsonString());   // Alice's library holds her original, not Bob's copy
        Assert.Equal(
            [("audio", "en"), ("audio1", "es")],
            copied["audio_tracks"]!.AsArray().Select(t => (t!["name"]!.GetValue<string>(), t["lang"]!.GetValue<string>())));
        Assert.Equal(
            [("en", "English")],
            copied["caption_tracks"]!.AsArray().Select(t => (t!["lang"]!.GetValue<string>(), t["desc"]!.GetValue<string>())));
        Assert.Contains(copy, copied["caption_tracks"]![0]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        var captions = new Uri(copied["caption_tracks"]![0]!["url"]!.GetValue<string>());
        var firstCue = new Uri(captions, HlsPlaylists.Uris(await fixture.Http.GetStringAsync(captions))[0]);
        Assert.Contains("Copied caption", await fixture.Http.GetStringAsync(firstCue), StringComparison.Ordinal);
        Assert.Contains(copy, copied["poster_url"]!.GetValue<string>(), StringComparison.Ordinal);
        using (var poster = await fixture.Http.GetAsync(new Uri(copied["poster_url"]!.GetValue<string>())))
        {
            Assert.Equal((HttpStatusCode.OK, "image/jpeg"), (poster.StatusCode, poster.Content.Headers.ContentType?.MediaType));
        }

        // It plays (HLS and DASH), with its alternate track listed under its own id.
        var duration = copied["duration"]!.GetValue<double>();
        Assert.InRange(await Media.ProbeDurationAsync($"{fixture.Server.Url}/{copy}.m3u8"), duration - 0.1, duration + 0.1);
        Assert.InRange(await Media.ProbeDurationAsync($"{fixture.Server.Url}/{copy}.mpd"), duration - 0.5, duration + 0.5);
        var master = await fixture.Http.GetStringAsync(new Uri($"{fixture.Server.Url}/{copy}.m3u8"));
        Assert.Contains($"URI=\"{copy}/audio1/index.m3u8\"", master, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Rich, master, StringComparison.Ordinal);

        // Byte for byte the original's files (version 1's rays, version 2's track, version 4's export), each stored
        // under the copy's prefix.
        var copyBlobs = Path.Combine(fixture.DataPath, "blobs", "assets", copy);
        Assert.Equal($"{fixture.Server.Url}/{copy}/export.mp4", copied["mp4_url"]!.GetValue<string>());
        foreach (var file in new[] { "a/seg_00000.m4s", "a/init.mp4", "audio/seg_00001.m4s", "audio1/seg_00000.m4s", "poster.jpg", "export.mp4" })
        {
            var bytes = await BytesAsync($"{fixture.Rich}/{file}");
            Assert.Equal(bytes, await BytesAsync($"{copy}/{file}"));
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(copyBlobs, "v1", file)));
        }
    }

    [Fact]
    public async Task Deleting_an_original_leaves_its_copy_playing_and_deleting_a_copy_leaves_its_original()
    {
        var (first, second) = (fixture.SliceAsync(new { description = "First" }), fixture.SliceAsync(new { description = "Second" }));
        var (one, two) = (await first, await second);
        var library = await LibraryCopyFixture.LibraryAsync(fixture.Alice, "To delete", one, two);
        LibraryCopyFixture.Ok(await fixture.Alice.CallAsync("/api2/library/share", new { library_id = library, owner = fixture.Bob.Owner }));
        var copyOfOne = (await CopyAsync(fixture.Bob, one))["asset"]!.GetValue<string>();
        var copyOfTwo = (await CopyAsync(fixture.Bob, two))["asset"]!.GetValue<string>();

        await DeleteAsync(fixture.Alice, one);
        await DeleteAsync(fixture.Bob, copyOfTwo);

        foreach (var (gone, kept, owner) in new[] { (one, copyOfOne, fixture.Bob), (copyOfTwo, two, fixture.Alice) })
        {
            Assert.False(Directory.Exists(Path.Combine(fixture.DataPath, "blobs", "assets", gone)), $"{gone}'s files are still stored");
            using (var removed = await fixture.Http.GetAsync(new Uri($"{fixture.Server.Url}/{gone}.m3u8")))
            {
                Assert.Equal(HttpStatusCode.NotFound, removed.StatusCode);
            }

            var duration = (await AssetAsync(owner, kept))["duration"]!.GetValue<double>();
            Assert.InRange(await Media.ProbeDurationAsync($"{fixture.Server.Url}/{kept}.m3u8"), duration - 0.1, duration + 0.1);
        }
    }

    [Fact]
    public async Task After_unshare_the_reader_can_no_longer_copy_but_keeps_the_copy_it_made()
    {
        var carol = await fixture.NewOwnerAsync();
        var library = await LibraryCopyFixture.LibraryAsync(fixture.Alice, "For Carol", fixture.Plain);
        LibraryCopyFixture.Ok(await fixture.Alice.CallAsync("/api2/library/share", new { library_id = library, owner = carol.Owner }));
        var copied = await CopyAsync(carol, fixture.Plain);
        Assert.Equal(carol.Owner, copied["owner"]!.GetValue<string>());

        LibraryCopyFixture.Ok(await fixture.Alice.CallAsync("/api2/library/unshare", new { library_id = library, owner = carol.Owner }));

        var refused = await carol.CallAsync(CopyPath, new { asset_id = fixture.Plain });
        Assert.True(refused["error"]!.GetValue<int>() == 1, refused.ToJsonString());
        Assert.StartsWith("Not found", refused["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        var batch = await carol.CallAsync("/api2/cloudslicer/batch/copy-from-library", new { asset_ids = new[] { fixture.Plain } });
        Assert.StartsWith("Not found", batch["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        // The copy Carol made while it was shared is hers to keep.
        Assert.InRange(await Media.ProbeDurationAsync($"{fixture.Server.Url}/{copied["asset"]!.GetValue<string>()}.m3u8"), 5.5, 6.5);
    }

    [Fact]
    public async Task A_batch_copies_each_asset_and_its_states_end_all_done_as_the_seed_shows()
    {
        var response = LibraryCopyFixture.Ok(await fixture.Bob.CallAsync(
            "/api2/cloudslicer/batch/copy-from-library", new { asset_ids = new[] { fixture.Rich, fixture.Plain } }));
        var batch = response["batch_id"]!.GetValue<string>();

        var states = await Eventually.UntilAsync(
            () => fixture.Bob.CallAsync("/api2/cloudslicer/batch/get-job-states", new { id = batch }),
            s => s["states"]?["done"]?.AsArray().Count == 2 || s["states"]?["error"] is not null,
            Deadline,
            "both copies of the batch to be done");

        Assert.Equal(0, states["error"]!.GetValue<int>());
        Assert.Equal($$"""{"done":["{{fixture.Rich}}","{{fixture.Plain}}"]}""", states["states"]!.ToJsonString());

        // Each done copy is a new asset of Bob's that plays.
        var copies = states["jobs"]!.AsArray().Select(j => j!["asset"]!.GetValue<string>()).ToList();
        Assert.Equal(2, copies.Distinct().Count());
        Assert.DoesNotContain(fixture.Rich, copies);
        Assert.DoesNotContain(fixture.Plain, copies);
        var bobs = LibraryCopyFixture.Ok(await fixture.Bob.CallAsync("/api2/asset/list", new { }))["assets"]!.AsArray().Select(a => a!["id"]!.GetValue<string>());
        Assert.Superset(copies.ToHashSet(), bobs.ToHashSet());
        Assert.InRange(await Media.ProbeDurationAsync($"{fixture.Server.Url}/{copies[1]}.m3u8"), 5.5, 6.5);
    }

    private async Task<JsonObject> CopyAsync(Api2Client client, string asset)
    {
        var response = LibraryCopyFixture.Ok(await client.CallAsync(CopyPath, new { asset_id = asset }));
        Assert.Equal("waiting", response["job"]!["state"]!.GetValue<string>());
        return await LibraryCopyFixture.DoneAsync(client, response["job"]!["id"]!.GetValue<string>());
    }

    private static async Task<JsonObject> AssetAsync(Api2Client client, string id) =>
        LibraryCopyFixture.Ok(await client.CallAsync("/api2/asset/get", new { id }))["asset"]!.AsObject();

    private static async Task DeleteAsync(Api2Client client, string id) =>
        Assert.Equal($$"""[["{{id}}","deleted"]]""", LibraryCopyFixture.Ok(await client.CallAsync("/api2/asset/delete", new { id }))["actions"]!.ToJsonString());

    private async Task<byte[]> BytesAsync(string path) => await fixture.Http.GetByteArrayAsync(new Uri($"{fixture.Server.Url}/{path}"));
}

/// <summary>
/// The slicer checks the share again when it takes a copy: copies queued while no slicer runs, then unshared, end in
/// error (one attempt, a message that says why) and the batch's states say so. The API process runs no slicer; a
/// second process on the same store does the slicing and the copying.
/// </summary>
public sealed class LibraryCopyRecheckTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_copy_queued_before_an_unshare_fails_when_a_slicer_takes_it_and_its_batch_shows_error()
    {
        using var data = new TempDirectory();
        using var sources = new TempDirectory();
        Directory.CreateDirectory(sources.Path);
        await MediaClips.GenerateAsync(Path.Combine(sources.Path, "clip.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(4), Width = 320, Height = 180, FrameRate = 30 });
        await using var files = await LoopbackFileServer.StartAsync(sources.Path);
        await using var api = await ServerProcess.StartAsync(data.Path, null, "--slicers", "0");
        using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
        var alice = new Api2Client(http, api.Owner!, api.Secret!);
        var added = await Cli.RunAsync(null, "owner", "add", "--data", data.Path);
        var bobOwner = JsonNode.Parse(added.Stdout)!;
        var bob = new Api2Client(http, bobOwner["owner"]!.GetValue<string>(), bobOwner["secret"]!.GetValue<string>());

        string asset;
        await using (await ServerProcess.StartAsync(data.Path, null, "--slicers", "1"))
        {
            asset = (await LibraryCopyFixture.DoneAsync(alice, await alice.CreateAsync(files.UrlOf("clip.mp4"))))["asset"]!.GetValue<string>();
        }

        var library = await LibraryCopyFixture.LibraryAsync(alice, "Briefly shared", asset);
        LibraryCopyFixture.Ok(await alice.CallAsync("/api2/library/share", new { library_id = library, owner = bob.Owner }));
        var copy = LibraryCopyFixture.Ok(await bob.CallAsync("/api2/cloudslicer/jobs/copy-from-library", new { asset_id = asset }))["job"]!["id"]!.GetValue<string>();
        var batch = LibraryCopyFixture.Ok(await bob.CallAsync("/api2/cloudslicer/batch/copy-from-library", new { asset_ids = new[] { asset } }))["batch_id"]!.GetValue<string>();
        LibraryCopyFixture.Ok(await alice.CallAsync("/api2/library/unshare", new { library_id = library, owner = bob.Owner }));

        await using var slicer = await ServerProcess.StartAsync(data.Path, null, "--slicers", "1");

        var (failed, _) = await bob.WaitFinishedAsync(copy, Deadline);
        Assert.Equal(("error", 1), (failed["state"]!.GetValue<string>(), failed["attempts"]!.GetValue<int>()));
        Assert.Contains("no longer yours or in a library shared with you", failed["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(failed["asset"]);
        var states = await Eventually.UntilAsync(
            () => bob.CallAsync("/api2/cloudslicer/batch/get-job-states", new { id = batch }),
            s => s["states"]?["error"] is not null,
            Deadline,
            "the batch's copy to fail");
        Assert.Equal($$"""{"error":["{{asset}}"]}""", states["states"]!.ToJsonString());
        Assert.Equal("[]", LibraryCopyFixture.Ok(await bob.CallAsync("/api2/asset/list", new { }))["assets"]!.ToJsonString());
    }
}
