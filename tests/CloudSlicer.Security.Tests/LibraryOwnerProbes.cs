using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// Owner isolation of libraries on the real server: Bob reads, changes, shares, unshares or deletes none of
/// Alice's libraries by any library verb, however the id is dressed up, and cannot slip Alice's asset into a
/// library of his own. Alice's library is untouched after every probe.
/// </summary>
public sealed class LibraryOwnerProbes(Api2ProbeServer server) : IClassFixture<Api2ProbeServer>
{
    private const string Desc = "Alice's private library";

    private async Task<(string Library, string Asset)> AliceLibraryAsync()
    {
        var list = await server.Alice.CallAsync("/api2/library/list", new { });
        if (list["libraries"]!.AsArray().FirstOrDefault(l => l!["desc"]!.GetValue<string>() == Desc) is { } existing)
        {
            return (existing["id"]!.GetValue<string>(), existing["assets"]![0]!.GetValue<string>());
        }

        var manifest = new AssetManifest { Id = Core.Ids.New(), Owner = server.Alice.Owner, Desc = "Alice only" };
        var asset = Assert.IsType<PublishOutcome.Published>(await server.Assets.PublishAsync(manifest, false, default)).Asset.Id;
        var library = (await server.Alice.CallAsync("/api2/library/create", new { desc = Desc }))["library"]!["id"]!.GetValue<string>();
        Assert.Equal(0, (await server.Alice.CallAsync("/api2/library/add_assets", new { library_id = library, asset_ids = new[] { asset } }))["error"]!.GetValue<int>());
        return (library, asset);
    }

    public static TheoryData<string, string> BobsProbes => new()
    {
        { "/api2/library/add_assets", """{"library_id": "{lib}", "asset_ids": ["{bobs}"]}""" },
        { "/api2/library/add_assets", """{"library_id": "{LIB}", "asset_ids": ["{bobs}"]}""" },
        { "/api2/library/add_assets", """{"library_id": " {lib}", "asset_ids": "{bobs}"}""" },
        { "/api2/library/add_assets", """{"library_id": ["{lib}"], "asset_ids": ["{bobs}"]}""" },
        { "/api2/library/remove_assets", """{"library_id": "{lib}", "asset_ids": ["{asset}"]}""" },
        { "/api2/library/remove_assets", """{"library_id": "{lib}' OR '1'='1", "asset_ids": ["{asset}"]}""" },
        { "/api2/library/share", """{"library_id": "{lib}", "owner": "{bob}"}""" },
        { "/api2/library/share", """{"library_id": "{lib}", "owner": "{carol}"}""" },
        { "/api2/library/share", """{"library_id": "{lib}%", "owner": "{carol}"}""" },
        { "/api2/library/unshare", """{"library_id": "{lib}", "owner": "{alice}"}""" },
        { "/api2/library/delete", """{"library_id": "{lib}"}""" },
        { "/api2/library/delete", """{"library_id": "{lib}\u0000"}""" },
        { "/api2/library/list", """{"owner": "{alice}", "_owner_override": "{alice}"}""" },
    };

    [Theory]
    [MemberData(nameof(BobsProbes))]
    public async Task Bob_never_sees_or_changes_alices_library(string path, string template)
    {
        var (library, asset) = await AliceLibraryAsync();
        var bobs = Assert.IsType<PublishOutcome.Published>(await server.Assets.PublishAsync(
            new AssetManifest { Id = Core.Ids.New(), Owner = server.Bob.Owner, Desc = "Bob's" }, false, default)).Asset.Id;
        var parameters = JsonNode.Parse(template.Replace("{lib}", library, StringComparison.Ordinal)
            .Replace("{LIB}", library.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{asset}", asset, StringComparison.Ordinal).Replace("{bobs}", bobs, StringComparison.Ordinal)
            .Replace("{bob}", server.Bob.Owner, StringComparison.Ordinal).Replace("{alice}", server.Alice.Owner, StringComparison.Ordinal)
            .Replace("{carol}", Core.Ids.New(), StringComparison.Ordinal))!.AsObject();

        var response = await server.Bob.CallAsync(path, parameters);

        Assert.Null(response["library"]);
        Assert.DoesNotContain(response["libraries"]?.AsArray() ?? [], l => l!["id"]!.GetValue<string>() == library);
        Assert.DoesNotContain("\"deleted\"", response.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Desc, response.ToJsonString(), StringComparison.Ordinal);
        var after = (await server.Alice.CallAsync("/api2/library/list", new { }))["libraries"]!.AsArray().Single(l => l!["id"]!.GetValue<string>() == library)!;
        Assert.Equal($"""["{asset}"]""", after["assets"]!.ToJsonString());
        Assert.Equal("[]", after["shared_with"]!.ToJsonString());
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Fact]
    public async Task Bob_cannot_put_alices_asset_into_a_library_of_his_own()
    {
        var (_, asset) = await AliceLibraryAsync();
        var bobs = (await server.Bob.CallAsync("/api2/library/create", new { desc = "Bob's" }))["library"]!["id"]!.GetValue<string>();

        var response = await server.Bob.CallAsync("/api2/library/add_assets", new { library_id = bobs, asset_ids = new[] { asset, asset.ToUpperInvariant() } });

        Assert.Equal("[]", response["library"]!["assets"]!.ToJsonString());
        Assert.Equal($"""["{asset}","{asset.ToUpperInvariant()}"]""", response["not_found"]!.ToJsonString());
        await server.AssertNothingFailedInTheLogAsync();
    }
}
