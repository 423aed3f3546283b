using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests.Deployed;

/// <summary>
/// Issue 8, "assets are served from S3 by any API node": a job with Slicebot settings created on one API node and
/// sliced by a separate slicer process plays from both nodes (HLS, DASH, /ext, ranged slices that are the S3
/// object's bytes), /api2/asset/* behave on both, and a delete is seen at once on both and empties the bucket.
/// </summary>
[Collection(DeployedCollection.Name)]
public sealed class DeployedAssetTests(DeployedShape shape)
{
    [Fact]
    public async Task A_job_sliced_by_a_slicer_process_plays_from_both_api_nodes_out_of_s3_and_its_delete_is_seen_by_both()
    {
        var job = await shape.CreateDoneAsync(new
        {
            external_id = "deployed-launch",
            meta = "show=Launch",
            meta_int = "episode=3",
            breaks = "2-4",
            poster = "6000",
            thumbnails = "small:64x64",
            description = "Deployed launch",
        });
        var asset = job["asset"]!.GetValue<string>();

        var keys = await shape.ObjectsOfAsync(asset);
        Assert.Contains($"{DeployedShape.Prefix}/assets/{asset}/v1/master.m3u8", keys);
        Assert.Contains($"{DeployedShape.Prefix}/assets/{asset}/v1/a/seg_00000.m4s", keys);
        Assert.Contains($"{DeployedShape.Prefix}/assets/{asset}/v1/poster.jpg", keys);

        foreach (var node in shape.Nodes)
        {
            var record = DeployedShape.Ok(await node.Alice.CallAsync("/api2/asset/get", new { external_id = "deployed-launch" }))["asset"]!.AsObject();
            Assert.Equal((asset, "Deployed launch", "ready"), (record["id"]!.GetValue<string>(), record["desc"]!.GetValue<string>(), record["state"]!.GetValue<string>()));
            Assert.Equal("""{"show":"Launch","episode":3}""", record["meta"]!.ToJsonString());
            Assert.InRange(record["duration"]!.GetValue<double>(), 7.5, 8.5);   // 10 s less the 2 s break
            Assert.InRange(Assert.Single(record["break_offsets"]!.AsArray())!["offset"]!.GetValue<double>(), 1.9, 2.1);
            Assert.Equal($"{node.Url}/{asset}.m3u8", record["playback_url"]!.GetValue<string>());
            await AssertPlaysAsync(node, asset, record);
            Assert.False(Directory.Exists(Path.Combine(node.Server.DataDirectory, "blobs")), "an API node kept blobs on its own disk");
        }
    }

    [Fact]
    public async Task Asset_list_update_and_delete_on_either_node_are_seen_by_the_other_and_a_delete_empties_the_bucket_prefix()
    {
        var asset = (await shape.CreateDoneAsync(new { external_id = "deployed-delete", trim = "0,3000" }))["asset"]!.GetValue<string>();
        Assert.NotEmpty(await shape.ObjectsOfAsync(asset));

        var listed = DeployedShape.Ok(await shape.B.Alice.CallAsync("/api2/asset/list", new { }))["assets"]!.AsArray();
        Assert.Contains(listed, a => a!["id"]!.GetValue<string>() == asset);

        DeployedShape.Ok(await shape.A.Alice.CallAsync("/api2/asset/update", new { id = asset, desc = "Updated on A", meta = new { season = 2 } }));
        var updated = DeployedShape.Ok(await shape.B.Alice.CallAsync("/api2/asset/get", new { id = asset }))["asset"]!;
        Assert.Equal("Updated on A", updated["desc"]!.GetValue<string>());
        Assert.Equal("2", updated["meta"]!["season"]!.ToString());

        // Both nodes have just served it (and remember its version for a moment); the delete must still show at once on both.
        foreach (var node in shape.Nodes)
        {
            Assert.Equal(HttpStatusCode.OK, await node.StatusAsync($"/{asset}.m3u8"));
            Assert.Equal(HttpStatusCode.OK, await node.StatusAsync($"/{asset}/a/seg_00000.m4s"));
        }

        var deleted = DeployedShape.Ok(await shape.B.Alice.CallAsync("/api2/asset/delete", new { id = asset }));
        Assert.Equal($"""[["{asset}","deleted"]]""", deleted["actions"]!.ToJsonString());
        foreach (var node in shape.Nodes)
        {
            Assert.Equal(HttpStatusCode.NotFound, await node.StatusAsync($"/{asset}.m3u8"));
            Assert.Equal(HttpStatusCode.NotFound, await node.StatusAsync($"/{asset}.mpd"));
            Assert.Equal(HttpStatusCode.NotFound, await node.StatusAsync($"/{asset}/a/seg_00000.m4s"));
            Assert.Equal(HttpStatusCode.NotFound, await node.StatusAsync($"/ext/{node.Alice.Owner}/deployed-delete.m3u8"));
            Assert.Equal(1, (await node.Alice.CallAsync("/api2/asset/get", new { id = asset }))["error"]!.GetValue<int>());
        }

        await Eventually.UntilAsync(() => shape.ObjectsOfAsync(asset), k => k.Count == 0, DeployedShape.Deadline, $"the bucket to hold nothing of {asset}");
    }

    /// <summary>What a player does against one node: master, renditions, DASH, /ext, a poster and a ranged slice.</summary>
    private async Task AssertPlaysAsync(ApiNode node, string asset, JsonNode record)
    {
        var master = await node.Http.GetStringAsync($"/{asset}.m3u8");
        Assert.StartsWith("#EXTM3U", master, StringComparison.Ordinal);
        var renditions = HlsPlaylists.Uris(master);
        Assert.NotEmpty(renditions);
        foreach (var rendition in renditions)
        {
            using var playlist = await node.Http.GetAsync(new Uri(new Uri($"{node.Url}/{asset}.m3u8"), rendition));
            Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
        }

        Assert.InRange(await Media.ProbeDurationAsync($"{node.Url}/{asset}.m3u8"), 7.5, 8.5);
        Assert.InRange(await Media.ProbeDurationAsync($"{node.Url}/{asset}.mpd"), 7.5, 8.5);
        Assert.InRange(await Media.ProbeDurationAsync($"{node.Url}/ext/{node.Alice.Owner}/deployed-launch.m3u8"), 7.5, 8.5);
        Assert.Equal(["audio", "video"], (await Media.ProbeStreamTypesAsync($"{node.Url}/{asset}.m3u8")).Distinct().Order());

        using (var poster = await node.Http.GetAsync(new Uri(record["poster_url"]!.GetValue<string>())))
        {
            Assert.Equal((HttpStatusCode.OK, "image/jpeg"), (poster.StatusCode, poster.Content.Headers.ContentType?.MediaType));
        }

        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync($"/{asset}/thumbs/small/00000.jpg"));
        Assert.Equal(HttpStatusCode.OK, await node.StatusAsync($"/{asset}/thumbs/default/00001.jpg"));

        var slice = await shape.ObjectBytesAsync($"{DeployedShape.Prefix}/assets/{asset}/v1/a/seg_00001.m4s");
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/{asset}/a/seg_00001.m4s");
        ranged.Headers.Range = new RangeHeaderValue(100, 1099);
        using var part = await node.Http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-1099/{slice.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(slice[100..1100], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(slice, await node.Http.GetByteArrayAsync($"/{asset}/a/seg_00001.m4s"));
    }
}
