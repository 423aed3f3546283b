using System.Text;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// One real server with one small asset that already has a caption track (so track 0 can be replaced), a second
/// owner, and the Python helper pointed at it as each of them.
/// </summary>
public sealed class PythonHelperFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _sources = new();
    private LoopbackFileServer _files = null!;

    public CloudSlicerProcess Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public Api2Client Client { get; private set; } = null!;

    public Dictionary<string, string> Alice { get; private set; } = [];

    public Dictionary<string, string> Bob { get; private set; } = [];

    public string BobOwner { get; private set; } = "";

    public string Asset { get; private set; } = "";

    public string Url(string name) => _files.UrlOf(name);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_sources.Path);
        await Task.WhenAll(
            MediaClips.GenerateAsync(Path.Combine(_sources.Path, "clip.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(4), Width = 320, Height = 180, FrameRate = 30 }),
            MediaClips.GenerateAsync(Path.Combine(_sources.Path, "track.m4a"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(2), WithVideo = false, Container = "m4a" }));
        await File.WriteAllTextAsync(Path.Combine(_sources.Path, "captions.ttml"), CaptionTrackTests.Ttml(("00:00:01.000", "00:00:02.000", "From a URL")));
        _files = await LoopbackFileServer.StartAsync(_sources.Path);
        Server = await ServerProcess.StartAsync(_data.Path);
        Http = new HttpClient { BaseAddress = new Uri(Server.Url) };
        Client = new Api2Client(Http, Server.Owner!, Server.Secret!);
        Alice = PythonHelper.Environment(Server.Url, Server.Owner!, Server.Secret!);

        var added = await Cli.RunAsync(null, "owner", "add", "--data", _data.Path);
        Assert.True(added.ExitCode == 0, added.Stderr);
        var bob = JsonNode.Parse(added.Stdout)!;
        BobOwner = bob["owner"]!.GetValue<string>();
        Bob = PythonHelper.Environment(Server.Url, BobOwner, bob["secret"]!.GetValue<string>());

        Asset = (await DoneAsync(await Client.CreateAsync(Url("clip.mp4"), new { description = "Python's asset" })))["asset"]!.GetValue<string>();
        var captions = await Client.CallAsync("/api2/cloudslicer/jobs/add_track_vtt", new { asset = Asset, ttml_url = Url("captions.ttml") });
        Assert.True(captions["error"]!.GetValue<int>() == 0, captions.ToJsonString());
        await DoneAsync(captions["job"]!["id"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await _files.DisposeAsync();
        _sources.Dispose();
        _data.Dispose();
    }

    private async Task<JsonObject> DoneAsync(string job)
    {
        var (finished, _) = await Client.WaitFinishedAsync(job, TimeSpan.FromMinutes(2));
        Assert.True(finished["state"]!.GetValue<string>() == "done", finished.ToJsonString());
        return finished;
    }
}

/// <summary>
/// Issue 7's "done when": every issue-7 endpoint called through the public Python helper answers the members of the
/// seed's samples (the job dictionary, <c>batch_id</c>, <c>states</c>) and DESIGN.md §3's <c>library</c>, and each
/// job it queues ends done.
/// </summary>
public sealed class PythonHelperAssetTests(PythonHelperFixture fixture) : IClassFixture<PythonHelperFixture>
{
    // The seed's job dictionary, member for member.
    private static readonly string[] SeedJobMembers =
        ["state", "last_error", "args", "attempts", "source", "finished", "asset", "last_start", "owner", "progress", "id"];

    private static readonly string[] LibraryMembers = ["id", "desc", "owner", "assets", "shared_with"];

    private static readonly string[] States = ["waiting", "assigned", "done", "error", "cancelled"];

    [Fact]
    public async Task Quickclip_and_create_export_answer_the_seeds_job()
    {
        var clip = await JobAsync(fixture.Alice, "/api2/cloudslicer/jobs/quickclip", new JsonObject
        {
            ["source"] = new JsonObject { ["trim"] = new JsonArray(500, 1500) },
            ["args"] = new JsonObject { ["beam_id"] = fixture.Asset },
        });
        Assert.Equal("[500,1500]", clip["source"]!["trim"]!.ToJsonString());
        Assert.EndsWith($"/{fixture.Asset}.m3u8", clip["source"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(clip["asset"]);

        var export = await JobAsync(fixture.Alice, "/api2/cloudslicer/jobs/create_export", new JsonObject { ["asset"] = fixture.Asset });
        Assert.Equal(fixture.Asset, export["asset"]!.GetValue<string>());
    }

    [Fact]
    public async Task Track_jobs_answer_the_seeds_job_on_the_asset()
    {
        var audio = await JobAsync(fixture.Alice, "/api2/cloudslicer/jobs/add_track_audio", new JsonObject
        {
            ["asset"] = fixture.Asset, ["url"] = fixture.Url("track.m4a"), ["desc"] = "Spanish", ["lang"] = "es",
        });
        Assert.Equal(fixture.Asset, audio["asset"]!.GetValue<string>());

        var ttml = Convert.ToBase64String(Encoding.UTF8.GetBytes(CaptionTrackTests.Ttml(("00:00:00.500", "00:00:01.500", "From python"))));
        var added = await JobAsync(fixture.Alice, "/api2/cloudslicer/jobs/add_track_vtt", new JsonObject { ["asset"] = fixture.Asset, ["ttml_data"] = ttml });
        Assert.Equal(fixture.Asset, added["asset"]!.GetValue<string>());

        var replaced = await JobAsync(fixture.Alice, "/api2/cloudslicer/jobs/replace_track_vtt", new JsonObject
        {
            ["asset"] = fixture.Asset, ["ttml_url"] = fixture.Url("captions.ttml"), ["track_num"] = 0,
        });
        Assert.Equal(fixture.Asset, replaced["asset"]!.GetValue<string>());
    }

    [Fact]
    public async Task Library_calls_answer_the_library_and_a_shared_asset_copies_singly_and_in_a_batch()
    {
        var created = await OkAsync(fixture.Alice, "/api2/library/create", new JsonObject { ["desc"] = "From python" });
        Assert.Equal(["error", "library"], created.Select(p => p.Key).Order(StringComparer.Ordinal));
        var library = LibraryOf(created);
        var id = library["id"]!.GetValue<string>();

        var added = LibraryOf(await OkAsync(fixture.Alice, "/api2/library/add_assets", new JsonObject { ["library_id"] = id, ["asset_ids"] = new JsonArray(fixture.Asset) }));
        Assert.Equal($"""["{fixture.Asset}"]""", added["assets"]!.ToJsonString());
        var shared = LibraryOf(await OkAsync(fixture.Alice, "/api2/library/share", new JsonObject { ["library_id"] = id, ["owner"] = fixture.BobOwner }));
        Assert.Equal($"""["{fixture.BobOwner}"]""", shared["shared_with"]!.ToJsonString());
        var listed = await OkAsync(fixture.Bob, "/api2/library/list", new JsonObject());
        Assert.Equal(["error", "libraries"], listed.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.All(LibraryMembers, m => Assert.True(listed["libraries"]![0]!.AsObject().ContainsKey(m), m));

        var copy = await JobAsync(fixture.Bob, "/api2/cloudslicer/jobs/copy-from-library", new JsonObject { ["asset_id"] = fixture.Asset });
        Assert.Equal(($$"""{"beam_id":"{{fixture.Asset}}"}""", "{}"), (copy["source"]!.ToJsonString(), copy["args"]!.ToJsonString()));
        Assert.Null(copy["asset"]);

        var batch = await OkAsync(fixture.Bob, "/api2/cloudslicer/batch/copy-from-library", new JsonObject { ["asset_ids"] = new JsonArray(fixture.Asset) });
        Assert.Equal(["batch_id", "error"], batch.Select(p => p.Key).Order(StringComparer.Ordinal));
        var states = await OkAsync(fixture.Bob, "/api2/cloudslicer/batch/get-job-states", new JsonObject { ["id"] = batch["batch_id"]!.GetValue<string>() });
        Assert.Contains("states", states.Select(p => p.Key));
        var byState = states["states"]!.AsObject();
        Assert.All(byState, s => Assert.Contains(s.Key, States));
        Assert.Equal($"""["{fixture.Asset}"]""", Assert.Single(byState).Value!.ToJsonString());

        var removed = LibraryOf(await OkAsync(fixture.Alice, "/api2/library/remove_assets", new JsonObject { ["library_id"] = id, ["asset_ids"] = new JsonArray(fixture.Asset) }));
        Assert.Equal("[]", removed["assets"]!.ToJsonString());
        var unshared = LibraryOf(await OkAsync(fixture.Alice, "/api2/library/unshare", new JsonObject { ["library_id"] = id, ["owner"] = fixture.BobOwner }));
        Assert.Equal("[]", unshared["shared_with"]!.ToJsonString());
        var refused = await PythonHelper.CallAsync(fixture.Bob, "/api2/cloudslicer/jobs/copy-from-library", new JsonObject { ["asset_id"] = fixture.Asset });
        Assert.Equal(1, refused["error"]!.GetValue<int>());
        Assert.StartsWith("Not found", refused["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>Calls a job endpoint, checks the answer is the seed's <c>{job, error: 0}</c> with a new waiting job, and waits for it to be done.</summary>
    private async Task<JsonObject> JobAsync(Dictionary<string, string> env, string path, JsonObject parameters)
    {
        var response = await OkAsync(env, path, parameters);
        Assert.Equal(["error", "job"], response.Select(p => p.Key).Order(StringComparer.Ordinal));
        var job = response["job"]!.AsObject();
        Assert.All(SeedJobMembers, m => Assert.True(job.ContainsKey(m), $"{path}'s job has no '{m}': {job.ToJsonString()}"));
        Assert.Equal(("waiting", 0, 0L, 0L, "", env["CLOUDSLICER_OWNER"]), (
            job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>(), job["finished"]!.GetValue<long>(), job["last_start"]!.GetValue<long>(),
            job["last_error"]!.GetValue<string>(), job["owner"]!.GetValue<string>()));
        Assert.IsType<JsonObject>(job["args"]);
        Assert.IsType<JsonObject>(job["source"]);

        // Waited for: a job left running on the shared asset would make the next caption call wait for it.
        var id = job["id"]!.GetValue<string>();
        var finished = await Eventually.UntilAsync(
            async () => (await OkAsync(env, "/api2/cloudslicer/jobs/get", new JsonObject { ["id"] = id }))["job"]!.AsObject(),
            j => j["state"]!.GetValue<string>() is "done" or "error" or "cancelled",
            TimeSpan.FromMinutes(2),
            $"{path}'s job to finish");
        Assert.True(finished["state"]!.GetValue<string>() == "done", finished.ToJsonString());
        return job;
    }

    private static async Task<JsonObject> OkAsync(Dictionary<string, string> env, string path, JsonObject parameters)
    {
        var response = await PythonHelper.CallAsync(env, path, parameters);
        Assert.True(response["error"]!.GetValue<int>() == 0, $"{path}: {response.ToJsonString()}");
        return response;
    }

    private static JsonObject LibraryOf(JsonObject response)
    {
        var library = response["library"]!.AsObject();
        Assert.All(LibraryMembers, m => Assert.True(library.ContainsKey(m), $"the library has no '{m}': {library.ToJsonString()}"));
        return library;
    }
}
