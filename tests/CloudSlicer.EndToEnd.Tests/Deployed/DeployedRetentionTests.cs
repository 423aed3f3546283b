using System.Net;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests.Deployed;

/// <summary>
/// Both API nodes run the asset maintenance sweep on the one database and bucket: expired assets are removed once,
/// records and objects, and neither node's sweep fails on what the other already removed.
/// </summary>
[Collection(DeployedCollection.Name)]
public sealed class DeployedRetentionTests(DeployedShape shape)
{
    [Fact]
    public async Task Expired_assets_are_removed_from_the_database_and_the_bucket_by_the_sweeps_of_two_nodes_without_a_failure()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => shape.CreateDoneAsync(new { trim = "0,2000", autoexpire = 1 })));
        var assets = created.Select(j => j["asset"]!.GetValue<string>()).ToArray();
        foreach (var asset in assets)
        {
            Assert.NotEmpty(await shape.ObjectsOfAsync(asset));
            Assert.Equal(1L, Convert.ToInt64((await shape.QueryAsync("SELECT autoexpire FROM assets WHERE id = @id", ("id", asset)))[0][0], System.Globalization.CultureInfo.InvariantCulture));
        }

        // An hour is too long to wait: move their expiry into the past, as the passing of time would.
        await shape.QueryAsync("UPDATE assets SET expires = 0 WHERE id = ANY(@ids) RETURNING id", ("ids", assets));

        await Eventually.UntilAsync(
            () => shape.QueryAsync("SELECT id FROM assets WHERE id = ANY(@ids)", ("ids", assets)),
            rows => rows.Count == 0,
            TimeSpan.FromMinutes(2),
            "the sweeps to purge the expired assets' records");
        foreach (var asset in assets)
        {
            Assert.Empty(await shape.ObjectsOfAsync(asset));
            foreach (var node in shape.Nodes)
            {
                Assert.Equal(HttpStatusCode.NotFound, await node.StatusAsync($"/{asset}.m3u8"));
            }
        }

        foreach (var node in shape.Nodes)
        {
            Assert.DoesNotContain("Asset maintenance failed", node.Server.Output, StringComparison.Ordinal);
        }
    }
}
