using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Testing;

namespace CloudSlicer.Api.Tests.Jobs;

/// <summary>
/// <c>/jobs/copy-from-library</c>, <c>/batch/copy-from-library</c> and <c>/batch/get-job-states</c> over real Kestrel
/// and SQLite (no slicer runs: jobs stay waiting). Alice shares a library with Bob; Bob may copy what is in it and
/// nothing else of Alice's, and every id he may not copy gets the same "Not found", whether it exists or not.
/// </summary>
public sealed class LibraryJobsApiTests : IAsyncLifetime
{
    private const string CopyPath = "/api2/cloudslicer/jobs/copy-from-library";
    private const string BatchPath = "/api2/cloudslicer/batch/copy-from-library";
    private const string StatesPath = "/api2/cloudslicer/batch/get-job-states";

    // The seed's job dictionary, member for member.
    private static readonly string[] SeedJobMembers =
        ["state", "last_error", "args", "attempts", "source", "finished", "asset", "last_start", "owner", "progress", "id"];

    private ApiServer _server = null!;
    private Api2Client _alice = null!;
    private Api2Client _bob = null!;
    private string _shared = "";     // Alice's, in a library shared with Bob
    private string _shared2 = "";    // Alice's, in the same library
    private string _unshared = "";   // Alice's, in a library she has not shared
    private string _private = "";    // Alice's, in no library

    private IJobQueue Queue => _server.Service<IJobQueue>();

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        _alice = await _server.NewOwnerClientAsync();
        _bob = await _server.NewOwnerClientAsync();
        (_shared, _shared2, _unshared, _private) = (await AssetAsync(_alice), await AssetAsync(_alice), await AssetAsync(_alice), await AssetAsync(_alice));

        var library = await LibraryAsync(_alice, _shared, _shared2);
        Ok(await _alice.CallAsync("/api2/library/share", new { library_id = library, owner = _bob.Owner }));
        await LibraryAsync(_alice, _unshared);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_copy_answers_the_seeds_job_with_the_original_as_beam_id_and_stores_its_spec()
    {
        var response = Ok(await _bob.CallAsync(CopyPath, new { asset_id = _shared }));

        Assert.Equal(["job", "error"], response.Select(p => p.Key));
        var job = response["job"]!.AsObject();
        Assert.All(SeedJobMembers, m => Assert.True(job.ContainsKey(m), $"the job has no '{m}': {job.ToJsonString()}"));
        Assert.Equal(
            ("waiting", $$"""{"beam_id":"{{_shared}}"}""", "{}", _bob.Owner, 0, ""),
            (job["state"]!.GetValue<string>(), job["source"]!.ToJsonString(), job["args"]!.ToJsonString(), job["owner"]!.GetValue<string>(),
             job["attempts"]!.GetValue<int>(), job["last_error"]!.GetValue<string>()));
        Assert.Null(job["asset"]);

        var stored = (await Queue.GetAsync(_bob.Owner, job["id"]!.GetValue<string>(), default))!;
        Assert.Equal(JobKind.CopyFromLibrary, stored.Kind);
        Assert.Equal(new CopySpec(_shared), JobSpecs.Read<CopySpec>(stored));
    }

    [Fact]
    public async Task An_owner_may_copy_its_own_asset_in_no_library()
    {
        var job = Ok(await _alice.CallAsync(CopyPath, new { asset_id = _private }))["job"]!;

        Assert.Equal(($$"""{"beam_id":"{{_private}}"}""", "waiting"), (job["source"]!.ToJsonString(), job["state"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Unshared_foreign_unknown_and_malformed_ids_are_all_not_found_in_the_same_words_and_queue_nothing()
    {
        var bobs = await AssetAsync(_bob);
        var ids = new[] { _unshared, _private, Core.Ids.New(), "../../etc/passwd", "ABCDEF" };

        var messages = new List<string>();
        foreach (var id in ids)
        {
            var answer = await _bob.CallAsync(CopyPath, new { asset_id = id });
            Assert.True(answer["error"]!.GetValue<int>() == 1, answer.ToJsonString());
            Assert.Equal(["error", "msg"], answer.Select(p => p.Key).Order());
            messages.Add(answer["msg"]!.GetValue<string>().Replace(id, "ID", StringComparison.Ordinal));
        }

        // Alice's own asset is not Bob's to copy either way round.
        var reverse = await _alice.CallAsync(CopyPath, new { asset_id = bobs });
        messages.Add(reverse["msg"]!.GetValue<string>().Replace(bobs, "ID", StringComparison.Ordinal));

        Assert.StartsWith("Not found", messages[0], StringComparison.Ordinal);
        Assert.All(messages, m => Assert.Equal(messages[0], m));
        Assert.Empty(await Queue.ListAsync(_bob.Owner, 50, 0, default));
        Assert.Empty(await Queue.ListAsync(_alice.Owner, 50, 0, default));
    }

    [Fact]
    public async Task A_batch_answers_only_a_batch_id_and_queues_one_copy_per_asset()
    {
        var response = Ok(await _bob.CallAsync(BatchPath, new { asset_ids = new[] { _shared, _shared2 } }));

        Assert.Equal(["batch_id", "error"], response.Select(p => p.Key));
        var batch = response["batch_id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", batch);
        var states = (await Queue.GetBatchAsync(_bob.Owner, batch, default))!;
        Assert.Equal([_shared, _shared2], states.Select(s => s.Asset));
        var jobs = await Task.WhenAll(states.Select(s => Queue.GetAsync(_bob.Owner, s.Job, default)));
        Assert.Equal([new CopySpec(_shared, batch), new CopySpec(_shared2, batch)], jobs.Select(j => JobSpecs.Read<CopySpec>(j!)));
    }

    [Fact]
    public async Task A_batch_with_any_id_the_caller_may_not_copy_is_refused_whole_and_queues_nothing()
    {
        var unknown = Core.Ids.New();
        foreach (var bad in new[] { _unshared, _private, unknown, "not-an-id" })
        {
            var answer = await _bob.CallAsync(BatchPath, new { asset_ids = new[] { _shared, bad, _shared2 } });

            Assert.True(answer["error"]!.GetValue<int>() == 1, answer.ToJsonString());
            var msg = answer["msg"]!.GetValue<string>();
            Assert.StartsWith("Not found", msg, StringComparison.Ordinal);
            Assert.Contains(bad, msg, StringComparison.Ordinal);
            Assert.DoesNotContain(_shared, msg, StringComparison.Ordinal);
        }

        Assert.Empty(await Queue.ListAsync(_bob.Owner, 50, 0, default));
    }

    [Fact]
    public async Task A_batch_copies_an_asset_given_twice_once()
    {
        var batch = Ok(await _bob.CallAsync(BatchPath, new { asset_ids = new[] { _shared, _shared2, _shared } }))["batch_id"]!.GetValue<string>();

        Assert.Equal([_shared, _shared2], (await Queue.GetBatchAsync(_bob.Owner, batch, default))!.Select(s => s.Asset));
        Assert.Equal(2, (await Queue.ListAsync(_bob.Owner, 50, 0, default)).Count);
    }

    [Fact]
    public async Task Get_job_states_answers_the_seeds_states_for_a_fresh_batch_and_not_found_to_another_owner()
    {
        var batch = Ok(await _bob.CallAsync(BatchPath, new { asset_ids = new[] { _shared, _shared2 } }))["batch_id"]!.GetValue<string>();

        var states = Ok(await _bob.CallAsync(StatesPath, new { id = batch }));
        Assert.Equal($$"""{"waiting":["{{_shared}}","{{_shared2}}"]}""", states["states"]!.ToJsonString());

        foreach (var (caller, id) in new[] { (_alice, batch), (_bob, Core.Ids.New()), (_bob, "../x") })
        {
            var answer = await caller.CallAsync(StatesPath, new { id });
            Assert.True(answer["error"]!.GetValue<int>() == 1, answer.ToJsonString());
            Assert.StartsWith("Not found", answer["msg"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Null(answer["states"]);
        }
    }

    [Fact]
    public async Task Get_job_states_follows_the_jobs_of_the_batch()
    {
        var batch = Ok(await _bob.CallAsync(BatchPath, new { asset_ids = new[] { _shared, _shared2 } }))["batch_id"]!.GetValue<string>();
        var jobs = (await Queue.GetBatchAsync(_bob.Owner, batch, default))!;
        Ok(await _bob.CallAsync("/api2/cloudslicer/jobs/cancel", new { id = jobs[1].Job }));

        var states = Ok(await _bob.CallAsync(StatesPath, new { id = batch }));

        Assert.Equal($$"""{"waiting":["{{_shared}}"],"cancelled":["{{_shared2}}"]}""", states["states"]!.ToJsonString());
    }

    [Fact]
    public async Task Missing_or_empty_parameters_get_clear_errors()
    {
        foreach (var (path, parameters, fragment) in new (string, object, string)[]
        {
            (CopyPath, new { }, "Missing parameter 'asset_id'"),
            (BatchPath, new { }, "Missing parameter 'asset_ids'"),
            (BatchPath, new { asset_ids = Array.Empty<string>() }, "asset_ids is empty"),
            (BatchPath, new { asset_ids = Enumerable.Range(0, 1001).Select(_ => Core.Ids.New()).ToArray() }, "at most 1000"),
            (StatesPath, new { }, "Missing parameter 'id'"),
        })
        {
            var answer = await _bob.CallAsync(path, parameters);
            Assert.True(answer["error"]!.GetValue<int>() == 1, answer.ToJsonString());
            Assert.Contains(fragment, answer["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Empty(await Queue.ListAsync(_bob.Owner, 50, 0, default));
    }

    private static JsonObject Ok(JsonObject response)
    {
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response;
    }

    private async Task<string> AssetAsync(Api2Client owner)
    {
        var manifest = new AssetManifest { Id = Core.Ids.New(), Owner = owner.Owner, Job = Core.Ids.New(), Desc = "Pilot", OrigFilename = "pilot.mp4" };
        return Assert.IsType<PublishOutcome.Published>(await _server.Service<IAssetStore>().PublishAsync(manifest, false, default)).Asset.Id;
    }

    private static async Task<string> LibraryAsync(Api2Client owner, params string[] assets)
    {
        var id = Ok(await owner.CallAsync("/api2/library/create", new { desc = "Promos" }))["library"]!["id"]!.GetValue<string>();
        var added = Ok(await owner.CallAsync("/api2/library/add_assets", new { library_id = id, asset_ids = assets }));
        Assert.Equal("[]", added["not_found"]!.ToJsonString());
        return id;
    }
}
