using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests.Deployed;

/// <summary>
/// Long sources split into parts (docs/parts.md, issue 8 item 5) on the scaled-out shape: the parts are encoded by
/// two <c>cloudslicer slicer</c> processes that share only PostgreSQL and the S3 bucket, the joined asset plays
/// seamlessly from both API nodes, a cancel on an API node stops the parts in the other slicer process, and a
/// part whose slicer process is killed is claimed again.
/// </summary>
public sealed partial class DeployedSplitTests(DeployedSplitShape shape) : IClassFixture<DeployedSplitShape>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_long_source_is_split_across_two_slicer_processes_and_joined_into_one_seamless_asset_on_S3()
    {
        await using var slicers = await shape.StartSlicersAsync(DeployedSplitShape.Split);

        var id = await shape.A.Alice.CreateAsync(shape.Url("long.mp4"));
        var (job, seen) = await shape.B.Alice.WaitFinishedAsync(id, Deadline);

        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        Assert.Equal(1, job["attempts"]!.GetValue<int>());
        Assert.Contains(seen, s => s.Progress.StartsWith("Slicing", StringComparison.Ordinal));
        var claims = slicers.All.Select(s => PartClaims(s.Process)).ToList();
        Assert.Equal(3, claims.SelectMany(c => c).Select(c => c.Job).Distinct().Count());
        Assert.All(claims, c => Assert.NotEmpty(c));   // each process encoded a part

        var asset = job["asset"]!.GetValue<string>();
        foreach (var node in shape.Nodes)
        {
            await AssertPlaysSeamlesslyAsync(node, asset);
            Assert.Equal(DeployedSplitShape.Seconds, await MediaClips.ProbeDurationAsync($"{node.Url}/{asset}.m3u8"), precision: 0);
        }

        // What only the parts needed (the shared source, their playlists) is gone; the list shows the job alone.
        await Eventually.UntilAsync(() => shape.ObjectsUnderAsync($"parts/{asset}/"), k => k.Count == 0, TimeSpan.FromSeconds(20), "the parts' shared objects to be removed");
        var listed = await shape.B.Alice.CallAsync("/api2/cloudslicer/jobs/list", new { });
        var ids = listed["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(id, ids);
        Assert.DoesNotContain(ids, j => claims.SelectMany(c => c).Any(p => p.Job == j));
    }

    [Fact]
    public async Task Cancel_on_an_API_node_stops_the_parts_running_in_the_other_slicer_process()
    {
        await using var slicers = await shape.StartSlicersAsync(DeployedSplitShape.SlowSplit);

        var id = await shape.A.Alice.CreateAsync(shape.Url("long720.mp4"));
        var parent = await Eventually.UntilAsync(
            () => Task.FromResult(slicers.All.Where(s => s.Process.Output.Contains($"claimed job {id} (Create)", StringComparison.Ordinal)).ToList()),
            s => s.Count == 1, TimeSpan.FromMinutes(1), "a slicer process to claim the job");
        var other = Assert.Single(slicers.All, s => s.Data != parent[0].Data);
        await Eventually.UntilAsync(() => Task.FromResult(PartFfmpegs(other.Data)), p => p.Count >= 1, TimeSpan.FromMinutes(2), "the other slicer process to be slicing a part");

        Assert.NotEmpty(await shape.ObjectsUnderAsync("parts/"));   // the shared source, which the cancel must remove
        var cancelled = await shape.B.Alice.CallAsync("/api2/cloudslicer/jobs/cancel", new { id });
        Assert.Equal("cancelled", cancelled["job"]!["state"]!.GetValue<string>());

        foreach (var (data, _) in slicers.All)
        {
            await Eventually.UntilAsync(() => Task.FromResult(ProcessScan.FfmpegMentioning(data)), p => p.Count == 0, TimeSpan.FromSeconds(20), "every ffmpeg of both slicer processes to stop");
        }

        Assert.NotEmpty(PartClaims(other.Process));
        await Eventually.UntilAsync(() => shape.ObjectsUnderAsync("parts/"), k => k.Count == 0, TimeSpan.FromSeconds(30), "the shared source and part playlists to be removed");
        Assert.Equal("cancelled", (await shape.A.Alice.GetJobAsync(id))["state"]!.GetValue<string>());
        Assert.Null((await shape.A.Alice.GetJobAsync(id))["asset"]);
    }

    [Fact]
    public async Task A_part_whose_slicer_process_is_killed_is_claimed_again_after_its_lease_and_the_job_ends_done()
    {
        await using var slicers = await shape.StartSlicersAsync(DeployedSplitShape.SlowSplit);

        var id = await shape.A.Alice.CreateAsync(shape.Url("long720.mp4"));
        var parent = await Eventually.UntilAsync(
            () => Task.FromResult(slicers.All.Where(s => s.Process.Output.Contains($"claimed job {id} (Create)", StringComparison.Ordinal)).ToList()),
            s => s.Count == 1, TimeSpan.FromMinutes(1), "a slicer process to claim the job");
        var victim = Assert.Single(slicers.All, s => s.Data != parent[0].Data);
        await Eventually.UntilAsync(() => Task.FromResult(PartFfmpegs(victim.Data)), p => p.Count >= 1, TimeSpan.FromMinutes(2), "the other slicer process to be slicing a part");
        var lost = PartClaims(victim.Process)[^1].Job;

        using (var process = Process.GetProcessById(victim.Process.Pid))
        {
            process.Kill();   // SIGKILL: no hand-back, the part's lease must expire
        }

        var (job, _) = await shape.B.Alice.WaitFinishedAsync(id, Deadline);

        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        Assert.Equal(1, job["attempts"]!.GetValue<int>());   // the job itself was not retried
        Assert.Contains(PartClaims(parent[0].Process), c => c.Job == lost && c.Attempt == 2);
        foreach (var node in shape.Nodes)
        {
            await AssertPlaysSeamlesslyAsync(node, job["asset"]!.GetValue<string>());
        }
    }

    /// <summary>The ffmpeg processes of one slicer process that encode a part (only a part's slices say where their fragments start).</summary>
    private static List<int> PartFfmpegs(string data) =>
        [.. ProcessScan.FfmpegMentioning(data).Intersect(ProcessScan.FfmpegMentioning("frag_discont"))];

    /// <summary>The parts a slicer process claimed, from its "claimed job" lines.</summary>
    private static List<(string Job, int Attempt)> PartClaims(SlicerProcess slicer) =>
        [.. slicer.Output.Split('\n').Select(l => ClaimLine().Match(l)).Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];

    /// <summary>
    /// Every ray's slices as served by <paramref name="node"/> (the rays are those in the bucket), read back as one
    /// stream: every frame once, a frame's length apart across each join, a key frame at each slice; the audio
    /// rendition without a gap; both as long as the source.
    /// </summary>
    private async Task AssertPlaysSeamlesslyAsync(ApiNode node, string asset)
    {
        var version = $"{DeployedShape.Prefix}/assets/{asset}/v1/";
        var files = (await shape.ObjectsUnderAsync($"assets/{asset}/v1/")).Select(k => k[version.Length..]).Where(k => k.Contains('/', StringComparison.Ordinal)).ToList();
        var rays = files.Select(f => f.Split('/')[0]).Distinct().ToList();
        Assert.Contains("audio", rays);
        Assert.True(rays.Count >= 3, string.Join(", ", rays));
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Path);
        foreach (var ray in rays)
        {
            var slices = files.Where(f => f.StartsWith($"{ray}/seg_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            var joined = Path.Combine(dir.Path, $"{ray}-joined.mp4");
            await using (var output = File.Create(joined))
            {
                foreach (var file in slices.Prepend($"{ray}/{Hls.InitName}"))
                {
                    using var response = await node.Http.GetAsync($"/{asset}/{file}");
                    Assert.True(response.IsSuccessStatusCode, $"{node.Url}/{asset}/{file}: {response.StatusCode}");
                    await response.Content.CopyToAsync(output);
                }
            }

            var audio = ray == "audio";
            var packets = (await MediaClips.ProbePacketsAsync(joined, audio ? "a:0" : "v:0")).OrderBy(p => p.Time).ToList();
            var step = audio ? 1024 / 48000.0 : 1 / DeployedSplitShape.Fps;
            Assert.All(packets.Zip(packets.Skip(1), (a, b) => b.Time - a.Time), g => Assert.InRange(g, step - 0.002, step + 0.002));
            Assert.InRange(packets[^1].Time + step - Math.Max(0, packets[0].Time), DeployedSplitShape.Seconds - 0.1, DeployedSplitShape.Seconds + 0.1);
            if (!audio)
            {
                Assert.Equal((int)(DeployedSplitShape.Seconds * DeployedSplitShape.Fps), packets.Count);
                var keys = packets.Where(p => p.IsKey).Select(p => p.Time).ToList();
                Assert.Equal(slices.Count, keys.Count);
                Assert.All(keys.Select((t, i) => t - (i * 4.096)), d => Assert.InRange(d, 0, 1 / DeployedSplitShape.Fps));
            }
        }
    }

    private static class Hls
    {
        public const string InitName = "init.mp4";
    }

    [GeneratedRegex(@"Slicer \S+ claimed job ([0-9a-f]{32}) \(SlicePart\), attempt (\d+)")]
    private static partial Regex ClaimLine();
}
