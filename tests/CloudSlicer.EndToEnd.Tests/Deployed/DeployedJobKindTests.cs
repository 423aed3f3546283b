using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests.Deployed;

/// <summary>
/// Issue 8's "every api2 endpoint … unchanged" for every job kind on existing assets, on PostgreSQL and S3 with the
/// work done by separate slicer processes: each ends done, and what it made is read out of S3 by both API nodes.
/// </summary>
[Collection(DeployedCollection.Name)]
public sealed class DeployedJobKindTests(DeployedShape shape)
{
    [Fact]
    public async Task Audio_and_caption_tracks_a_caption_replace_an_export_and_a_quick_clip_are_done_by_slicer_processes_and_served_by_both_nodes()
    {
        var asset = (await shape.CreateDoneAsync(new { description = "Tracks" }))["asset"]!.GetValue<string>();

        var audio = await DeployedShape.RunAsync(shape.A.Alice, "add_track_audio", new { asset, url = shape.Url("spanish.m4a"), desc = "Spanish", lang = "es" });
        Assert.Equal(asset, audio["asset"]!.GetValue<string>());
        foreach (var node in shape.Nodes)
        {
            var master = await node.Http.GetStringAsync($"/{asset}.m3u8");
            Assert.Contains($"URI=\"{asset}/audio1/index.m3u8\"", master, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, await node.StatusAsync($"/{asset}/audio1/index.m3u8"));
            Assert.Equal(HttpStatusCode.OK, await node.StatusAsync($"/{asset}/audio1/seg_00000.m4s"));
        }

        await DeployedShape.RunAsync(shape.B.Alice, "add_track_vtt", new { asset, ttml_data = Base64(("00:00:01.000", "00:00:02.500", "Deployed caption")), lang = "en", desc = "English" });
        foreach (var node in shape.Nodes)
        {
            Assert.Contains("Deployed caption", await FirstCueFileAsync(node, asset), StringComparison.Ordinal);
        }

        await DeployedShape.RunAsync(shape.A.Alice, "replace_track_vtt", new { asset, track_num = 0, ttml_data = Base64(("00:00:01.000", "00:00:02.500", "Replaced caption")) });
        foreach (var node in shape.Nodes)
        {
            var cues = await FirstCueFileAsync(node, asset);
            Assert.Contains("Replaced caption", cues, StringComparison.Ordinal);
            Assert.DoesNotContain("Deployed caption", cues, StringComparison.Ordinal);
        }

        var export = await DeployedShape.RunAsync(shape.B.Alice, "create_export", new { asset });
        Assert.Equal($"{shape.B.Url}/{asset}/export.mp4", export["hd_exported_url"]!.GetValue<string>());
        var mp4 = await shape.ObjectBytesAsync(Assert.Single(await shape.ObjectsOfAsync(asset), k => k.EndsWith("/export.mp4", StringComparison.Ordinal)));
        foreach (var node in shape.Nodes)
        {
            Assert.Equal(mp4, await node.Http.GetByteArrayAsync($"/{asset}/export.mp4"));
            Assert.InRange(await Media.ProbeDurationAsync($"{node.Url}/{asset}/export.mp4"), 9.5, 10.5);
            Assert.InRange(await Media.ProbeDurationAsync($"{node.Url}/{asset}.m3u8"), 9.5, 10.5);   // the tracks did not break it
            Assert.InRange(await Media.ProbeDurationAsync($"{node.Url}/{asset}.mpd"), 9.5, 10.5);
        }

        var clipJob = DeployedShape.Ok(await shape.A.Alice.CallAsync("/api2/cloudslicer/jobs/quickclip", new { source = new { trim = new[] { 3000, 6500 } }, args = new { beam_id = asset } }));
        var clip = (await DeployedShape.DoneAsync(shape.A.Alice, clipJob["job"]!["id"]!.GetValue<string>()))["asset"]!.GetValue<string>();
        Assert.NotEqual(asset, clip);
        Assert.NotEmpty(await shape.ObjectsOfAsync(clip));
        foreach (var node in shape.Nodes)
        {
            Assert.InRange(await Media.ProbeDurationAsync($"{node.Url}/{clip}.m3u8"), 6.4, 6.6);
            // Slice 1 (4.1-8.2 s) lies inside the clip (3-9.5 s): reused byte for byte by a server-side copy.
            Assert.Equal(await node.Http.GetByteArrayAsync($"/{asset}/a/seg_00001.m4s"), await node.Http.GetByteArrayAsync($"/{clip}/a/seg_00001.m4s"));
        }
    }

    [Fact]
    public async Task Copies_from_a_library_shared_with_an_owner_added_by_the_cli_are_stored_under_their_own_prefix_and_play_from_both_nodes()
    {
        var (first, second) = (shape.CreateDoneAsync(new { description = "Shared one", trim = "0,3000" }), shape.CreateDoneAsync(new { description = "Shared two", trim = "0,3000" }));
        var (one, two) = ((await first)["asset"]!.GetValue<string>(), (await second)["asset"]!.GetValue<string>());
        var (owner, secret) = await shape.AddOwnerAsync();
        var bobOnA = shape.A.As(owner, secret);
        var bobOnB = shape.B.As(owner, secret);

        var library = DeployedShape.Ok(await shape.A.Alice.CallAsync("/api2/library/create", new { desc = "Deployed library" }))["library"]!["id"]!.GetValue<string>();
        Assert.Equal("[]", DeployedShape.Ok(await shape.B.Alice.CallAsync("/api2/library/add_assets", new { library_id = library, asset_ids = new[] { one, two } }))["not_found"]!.ToJsonString());
        DeployedShape.Ok(await shape.A.Alice.CallAsync("/api2/library/share", new { library_id = library, owner }));

        var copyJob = DeployedShape.Ok(await bobOnB.CallAsync("/api2/cloudslicer/jobs/copy-from-library", new { asset_id = one }));
        var copy = (await DeployedShape.DoneAsync(bobOnA, copyJob["job"]!["id"]!.GetValue<string>()))["asset"]!.GetValue<string>();
        Assert.NotEqual(one, copy);
        var copied = DeployedShape.Ok(await bobOnA.CallAsync("/api2/asset/get", new { id = copy }))["asset"]!;
        Assert.Equal(("Shared one", owner), (copied["desc"]!.GetValue<string>(), copied["owner"]!.GetValue<string>()));
        var copyKeys = await shape.ObjectsOfAsync(copy);
        Assert.Contains($"{DeployedShape.Prefix}/assets/{copy}/v1/a/seg_00000.m4s", copyKeys);
        Assert.Equal(
            await shape.ObjectBytesAsync($"{DeployedShape.Prefix}/assets/{one}/v1/a/seg_00000.m4s"),
            await shape.ObjectBytesAsync($"{DeployedShape.Prefix}/assets/{copy}/v1/a/seg_00000.m4s"));
        foreach (var node in shape.Nodes)
        {
            Assert.InRange(await Media.ProbeDurationAsync($"{node.Url}/{copy}.m3u8"), 2.5, 3.5);
            Assert.Equal(HttpStatusCode.OK, await node.StatusAsync($"/{copy}.mpd"));
        }

        var batch = DeployedShape.Ok(await bobOnA.CallAsync("/api2/cloudslicer/batch/copy-from-library", new { asset_ids = new[] { one, two } }))["batch_id"]!.GetValue<string>();
        var states = await Eventually.UntilAsync(
            () => bobOnB.CallAsync("/api2/cloudslicer/batch/get-job-states", new { id = batch }),
            s => s["states"]?["done"]?.AsArray().Count == 2 || s["states"]?["error"] is not null,
            DeployedShape.Deadline,
            "both copies of the batch to be done");
        Assert.Equal($$"""{"done":["{{one}}","{{two}}"]}""", states["states"]!.ToJsonString());
        var copies = states["jobs"]!.AsArray().Select(j => j!["asset"]!.GetValue<string>()).ToList();
        Assert.Equal(2, copies.Distinct().Count());
        var bobs = DeployedShape.Ok(await bobOnB.CallAsync("/api2/asset/list", new { }))["assets"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(copies.Append(copy).ToHashSet(), bobs);
        foreach (var batchCopy in copies)
        {
            Assert.NotEmpty(await shape.ObjectsOfAsync(batchCopy));
            Assert.InRange(await Media.ProbeDurationAsync($"{shape.B.Url}/{batchCopy}.m3u8"), 2.5, 3.5);
        }
    }

    /// <summary>The text of the first WebVTT file of the asset's first caption track, as a player fetches it from <paramref name="node"/>.</summary>
    private static async Task<string> FirstCueFileAsync(ApiNode node, string asset)
    {
        var record = DeployedShape.Ok(await node.Alice.CallAsync("/api2/asset/get", new { id = asset }))["asset"]!;
        var playlist = new Uri(new Uri(node.Url), new Uri(record["caption_tracks"]![0]!["url"]!.GetValue<string>()).PathAndQuery);
        var text = await node.Http.GetStringAsync(playlist);
        var cues = new Uri(playlist, HlsPlaylists.Uris(text)[0]);
        using var response = await node.Http.GetAsync(cues);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} for {cues} listed in {playlist}:\n{text}\n{record.ToJsonString()}");
        return await response.Content.ReadAsStringAsync();
    }

    private static string Base64((string Begin, string End, string Text) cue) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(CaptionTrackTests.Ttml(cue)));
}
