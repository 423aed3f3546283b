using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// Owner isolation of assets on the real server: Bob reaches none of Alice's assets by any asset verb, by id,
/// external id, list, search or /ext URL, however the value is dressed up; Alice's asset is untouched after.
/// </summary>
public sealed class AssetOwnerProbes(Api2ProbeServer server) : IClassFixture<Api2ProbeServer>
{
    private const string ExternalId = "alice-secret-show";

    private async Task<AssetManifest> AliceAssetAsync()
    {
        if (await server.Assets.GetByExternalIdAsync(server.Alice.Owner, ExternalId, default) is { } existing)
        {
            return existing;
        }

        var manifest = new AssetManifest { Id = Core.Ids.New(), Owner = server.Alice.Owner, ExternalId = ExternalId, Desc = "Alice only" };
        return Assert.IsType<PublishOutcome.Published>(await server.Assets.PublishAsync(manifest, false, default)).Asset;
    }

    public static TheoryData<string, string> BobsProbes => new()
    {
        { "/api2/asset/get", """{"id": "{id}"}""" },
        { "/api2/asset/get", """{"id": "{ID}"}""" },
        { "/api2/asset/get", """{"external_id": "{ext}"}""" },
        { "/api2/asset/get", """{"ids": ["{id}"]}""" },
        { "/api2/asset/get", """{"ids": "[\"{id}\"]"}""" },
        { "/api2/asset/get", """{"external_ids": ["{ext}", "x' OR '1'='1"]}""" },
        { "/api2/asset/get", """{"external_id": "x' OR owner <> '' --"}""" },
        { "/api2/asset/list", """{"search": "Alice"}""" },
        { "/api2/asset/list", """{"search": "%"}""" },
        { "/api2/asset/update", """{"id": "{id}", "desc": "owned by bob"}""" },
        { "/api2/asset/update", """{"external_id": "{ext}", "meta": {"owner": "bob"}}""" },
        { "/api2/asset/update", """{"id": "{id}", "external_id": "bob-now"}""" },
        { "/api2/asset/delete", """{"id": "{id}"}""" },
        { "/api2/asset/delete", """{"ids": ["{id}", "{id}"]}""" },
    };

    [Theory]
    [MemberData(nameof(BobsProbes))]
    public async Task Bob_never_sees_or_changes_alices_asset(string path, string template)
    {
        var asset = await AliceAssetAsync();
        var parameters = JsonNode.Parse(template.Replace("{id}", asset.Id, StringComparison.Ordinal)
            .Replace("{ID}", asset.Id.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{ext}", ExternalId, StringComparison.Ordinal))!.AsObject();

        var response = await server.Bob.CallAsync(path, parameters);

        // The answer may echo the id Bob sent ("Not found: ..."), but never an asset dictionary of Alice's.
        Assert.Null(response["asset"]);
        Assert.Empty(response["assets"]?.AsArray() ?? []);
        Assert.DoesNotContain("\"deleted\"", response.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Alice only", response.ToJsonString(), StringComparison.Ordinal);
        var after = await server.Assets.GetAsync(server.Alice.Owner, asset.Id, default);
        Assert.NotNull(after);
        Assert.Equal(("Alice only", ExternalId), (after.Desc, after.ExternalId));
        Assert.Empty(after.Meta);
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Theory]
    [InlineData("/ext/{bob}/{ext}.m3u8")]
    [InlineData("/ext/{bob}/{ext}.mpd")]
    [InlineData("/ext/{bob}/..%2f{alice}%2f{ext}.m3u8")]
    [InlineData("/ext/{alice}x/{ext}.m3u8")]
    [InlineData("/ext/{ALICE}/{ext}.m3u8")]
    public async Task The_ext_url_of_another_owner_or_a_mangled_owner_is_404(string template)
    {
        await AliceAssetAsync();
        var target = template.Replace("{bob}", server.Bob.Owner, StringComparison.Ordinal).Replace("{alice}", server.Alice.Owner, StringComparison.Ordinal)
            .Replace("{ALICE}", server.Alice.Owner.ToUpperInvariant(), StringComparison.Ordinal).Replace("{ext}", ExternalId, StringComparison.Ordinal);

        var response = await Api2RawHttp.SendAsync(server.Server.Url, "GET", target);

        Assert.True(response.Status is 404 or 400, $"{target}: {response}");
        await server.AssertNothingFailedInTheLogAsync();
    }
}
