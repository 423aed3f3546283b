using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// kill -9 of a slicer process mid-job on the scaled-out shape (PostgreSQL, S3, <c>serve --slicers 0</c>): the lease
/// runs out, another slicer process finishes the job, and the bucket holds exactly one asset with every slice once.
/// </summary>
[Collection(Faults.Name)]
public sealed class SlicerKillTests(Sources sources) : IClassFixture<Sources>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_slicer_killed_mid_job_loses_nothing_and_another_slicer_process_finishes_it_once()
    {
        await using var deployment = await Deployment.StartAsync(new DeploymentSpec());
        var client = deployment.Client();

        // A slow preset keeps slicer A encoding long enough to be killed mid-slice; B is as fast as the tests' default.
        var slow = new Dictionary<string, string> { ["CLOUDSLICER_Media__X264Preset"] = "veryslow" };
        var a = await deployment.StartSlicerAsync(environment: slow);
        var id = await client.CreateAsync(sources.Url("long.mp4"), new { trim = "0,8000" });
        var slicing = await Eventually.UntilAsync(
            () => client.GetJobAsync(id),
            j => j["progress"]!.GetValue<string>().StartsWith("Slicing", StringComparison.Ordinal),
            Deadline,
            "slicer A to be slicing");
        Assert.StartsWith(a.SlicerIdPrefix + ":", slicing["slicer"]!.GetValue<string>(), StringComparison.Ordinal);
        var aData = deployment.DataDirectoryOf(a);
        await Eventually.UntilAsync(() => Task.FromResult(ProcessScan.FfmpegMentioning(aData)), p => p.Count > 0, Deadline, "slicer A's ffmpeg to run");

        var b = await deployment.StartSlicerAsync();
        await Deployment.KillAsync(a);

        // Who holds the job from here on, watched while the rest of the test looks at A's leftovers.
        var slicers = new HashSet<string>();
        var finished = Eventually.UntilAsync(
            async () =>
            {
                var j = await client.GetJobAsync(id);
                if (j["slicer"]?.GetValue<string>() is { } slicer)
                {
                    slicers.Add(slicer.Split(':')[1]);   // {host}:{pid}:{i}: the process
                }

                return j;
            },
            j => j["state"]!.GetValue<string>() is "done" or "error" or "cancelled",
            Deadline,
            "slicer B to finish the job");

        // SIGKILL reaches the slicer process only; its ffmpeg is orphaned. It writes its log to a pipe nobody reads
        // any more and dies on the broken pipe (or finishes) by itself; what it wrote stays in A's local work folder
        // and is never uploaded (the next slicer started on A's --data removes the folder of a pid that is gone).
        await Eventually.UntilAsync(
            () => Task.FromResult(ProcessScan.FfmpegMentioning(aData)), p => p.Count == 0, Deadline, "slicer A's orphaned ffmpeg to end");
        var job = await finished;

        Assert.Equal(("done", 2), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));   // the lost attempt counts
        Assert.Contains(b.SlicerIdPrefix.Split(':')[1], slicers);

        // Exactly one asset in the bucket: A's attempt stored nothing, B's stored everything once.
        var asset = job["asset"]!.GetValue<string>();
        var assetFolders = (await deployment.ListObjectsAsync("assets/")).Select(k => k.Split('/')[1]).Distinct().ToList();
        Assert.Equal([asset], assetFolders);
        var stored = await StoredAsset.ReadAsync(deployment, deployment.Http(), asset);
        stored.AssertEverySliceStoredOnce();
        Assert.InRange(await Media.ProbeDurationAsync($"{deployment.Apis[0].Url}/{asset}.m3u8"), 7.5, 8.5);
        Assert.Empty(deployment.RunningFfmpeg());
    }
}
