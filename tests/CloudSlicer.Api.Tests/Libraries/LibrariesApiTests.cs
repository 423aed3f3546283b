using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Testing;

namespace CloudSlicer.Api.Tests.Libraries;

/// <summary>
/// /api2/library/* over real Kestrel and SQLite, with two owners and asset records written through the store:
/// the response shapes letter for letter, sharing, and what a second owner can and cannot see.
/// </summary>
public sealed class LibrariesApiTests : IAsyncLifetime
{
    private ApiServer _server = null!;
    private Api2Client _alice = null!;
    private Api2Client _bob = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        _alice = await _server.NewOwnerClientAsync();
        _bob = await _server.NewOwnerClientAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> AssetAsync(Api2Client owner)
    {
        var manifest = new AssetManifest { Id = Core.Ids.New(), Owner = owner.Owner, Job = Core.Ids.New(), Desc = "Pilot", OrigFilename = "pilot.mp4" };
        return Assert.IsType<PublishOutcome.Published>(await _server.Service<IAssetStore>().PublishAsync(manifest, false, default)).Asset.Id;
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

    private async Task<string> CreateAsync(Api2Client owner, string desc = "Promos") =>
        Ok(await owner.CallAsync("/api2/library/create", new { desc }))["library"]!["id"]!.GetValue<string>();

    [Fact]
    public async Task Create_answers_the_library_with_its_members_letter_for_letter()
    {
        var response = Ok(await _alice.CallAsync("/api2/library/create", new { desc = "Promos" }));

        Assert.Equal(["library", "error"], response.Select(p => p.Key));
        var library = response["library"]!.AsObject();
        Assert.Equal(["id", "desc", "owner", "assets", "shared_with", "created"], library.Select(p => p.Key));
        Assert.True(Core.Ids.IsValid(library["id"]!.GetValue<string>()));
        Assert.Equal(("Promos", _alice.Owner, "[]", "[]"),
            (library["desc"]!.GetValue<string>(), library["owner"]!.GetValue<string>(), library["assets"]!.ToJsonString(), library["shared_with"]!.ToJsonString()));
    }

    [Fact]
    public async Task Add_and_remove_assets_answer_the_library_and_list_what_was_not_found()
    {
        var id = await CreateAsync(_alice);
        var one = await AssetAsync(_alice);
        var two = await AssetAsync(_alice);
        var bobs = await AssetAsync(_bob);

        var added = Ok(await _alice.CallAsync("/api2/library/add_assets", new { library_id = id, asset_ids = new[] { one, bobs, two, "nonsense" } }));
        Assert.Equal(["library", "not_found", "error"], added.Select(p => p.Key));
        Assert.Equal($"""["{one}","{two}"]""", added["library"]!["assets"]!.ToJsonString());
        Assert.Equal($"""["{bobs}","nonsense"]""", added["not_found"]!.ToJsonString());

        var asset = Ok(await _alice.CallAsync("/api2/asset/get", new { id = one }))["asset"]!;
        Assert.Equal($"""["{id}"]""", asset["libraries"]!.ToJsonString());
        var listed = Ok(await _alice.CallAsync("/api2/asset/list", new { }))["assets"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == two)!;
        Assert.Equal($"""["{id}"]""", listed["libraries"]!.ToJsonString());

        var removed = Ok(await _alice.CallAsync("/api2/library/remove_assets", new { library_id = id, asset_ids = one }));
        Assert.Equal($"""["{two}"]""", removed["library"]!["assets"]!.ToJsonString());
        Assert.Equal("[]", removed["not_found"]!.ToJsonString());
        Assert.Equal("[]", Ok(await _alice.CallAsync("/api2/asset/get", new { id = one }))["asset"]!["libraries"]!.ToJsonString());
    }

    [Fact]
    public async Task List_shows_each_owner_its_own_libraries_and_a_share_shows_it_to_the_other_until_unshared()
    {
        var alices = await CreateAsync(_alice, "Alice's");
        var bobs = await CreateAsync(_bob, "Bob's");
        var asset = await AssetAsync(_alice);
        Ok(await _alice.CallAsync("/api2/library/add_assets", new { library_id = alices, asset_ids = new[] { asset } }));

        var aliceList = Ok(await _alice.CallAsync("/api2/library/list", new { }));
        Assert.Equal(["libraries", "error"], aliceList.Select(p => p.Key));
        Assert.Equal([alices], aliceList["libraries"]!.AsArray().Select(l => l!["id"]!.GetValue<string>()));
        Assert.Equal([bobs], Ok(await _bob.CallAsync("/api2/library/list", new { }))["libraries"]!.AsArray().Select(l => l!["id"]!.GetValue<string>()));

        var shared = Ok(await _alice.CallAsync("/api2/library/share", new { library_id = alices, owner = _bob.Owner }));
        Assert.Equal($"""["{_bob.Owner}"]""", shared["library"]!["shared_with"]!.ToJsonString());

        var bobSees = Ok(await _bob.CallAsync("/api2/library/list", new { }))["libraries"]!.AsArray();
        Assert.Equal([alices, bobs], bobSees.Select(l => l!["id"]!.GetValue<string>()));
        var sharedLibrary = bobSees[0]!;
        Assert.Equal((_alice.Owner, $"""["{asset}"]""", $"""["{_bob.Owner}"]"""),
            (sharedLibrary["owner"]!.GetValue<string>(), sharedLibrary["assets"]!.ToJsonString(), sharedLibrary["shared_with"]!.ToJsonString()));

        var unshared = Ok(await _alice.CallAsync("/api2/library/unshare", new { library_id = alices, owner = _bob.Owner }));
        Assert.Equal("[]", unshared["library"]!["shared_with"]!.ToJsonString());
        Assert.Equal([bobs], Ok(await _bob.CallAsync("/api2/library/list", new { }))["libraries"]!.AsArray().Select(l => l!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Another_owners_library_is_not_found_and_a_shared_one_cannot_be_changed_by_its_reader()
    {
        var alices = await CreateAsync(_alice);
        var bobsAsset = await AssetAsync(_bob);

        AssertError(await _bob.CallAsync("/api2/library/add_assets", new { library_id = alices, asset_ids = new[] { bobsAsset } }), "Not found");
        AssertError(await _bob.CallAsync("/api2/library/share", new { library_id = alices, owner = _bob.Owner }), "your own id");
        AssertError(await _bob.CallAsync("/api2/library/unshare", new { library_id = alices, owner = _alice.Owner }), "Not found");

        Ok(await _alice.CallAsync("/api2/library/share", new { library_id = alices, owner = _bob.Owner }));
        AssertError(await _bob.CallAsync("/api2/library/add_assets", new { library_id = alices, asset_ids = new[] { bobsAsset } }), "only its owner");
        AssertError(await _bob.CallAsync("/api2/library/unshare", new { library_id = alices, owner = _bob.Owner }), "only its owner");
    }

    [Fact]
    public async Task Bad_parameters_get_clear_errors()
    {
        var id = await CreateAsync(_alice);

        AssertError(await _alice.CallAsync("/api2/library/create", new { }), "Missing parameter 'desc'");
        AssertError(await _alice.CallAsync("/api2/library/create", new { desc = new string('x', 256) }), "1 to 255 characters");
        AssertError(await _alice.CallAsync("/api2/library/add_assets", new { library_id = id }), "Missing parameter 'asset_ids'");
        AssertError(await _alice.CallAsync("/api2/library/add_assets", new { library_id = id, asset_ids = Enumerable.Repeat("x", 1001).ToArray() }), "at most 1000");
        AssertError(await _alice.CallAsync("/api2/library/share", new { library_id = id, owner = "bob" }), "owner id (32 lower-case hex digits)");
        AssertError(await _alice.CallAsync("/api2/library/share", new { library_id = id, owner = Core.Ids.New() }), "there is no owner");
        AssertError(await _alice.CallAsync("/api2/library/share", new { library_id = "../x", owner = _bob.Owner }), "Not found");
    }

    [Fact]
    public async Task Delete_removes_the_callers_library_only()
    {
        var id = await CreateAsync(_alice);

        Assert.Equal($"""[["{id}","Not found"]]""", Ok(await _bob.CallAsync("/api2/library/delete", new { library_id = id }))["actions"]!.ToJsonString());
        Assert.Equal($"""[["{id}","deleted"]]""", Ok(await _alice.CallAsync("/api2/library/delete", new { library_id = id }))["actions"]!.ToJsonString());
        Assert.Equal("[]", Ok(await _alice.CallAsync("/api2/library/list", new { }))["libraries"]!.ToJsonString());
    }
}
