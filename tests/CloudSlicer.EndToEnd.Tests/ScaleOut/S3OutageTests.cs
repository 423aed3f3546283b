using CloudSlicer.Testing;
using Xunit.Abstractions;

namespace CloudSlicer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// The S3 server down for a while mid-job. The guarantee: every S3 call is retried with back-off for up to
/// <c>S3BlobStoreOptions.RetryBudget</c> (30 s), so an outage shorter than that is ridden out inside the attempt —
/// storing waits, then goes on, and the job is done on its first attempt; a longer one fails the attempt as a
/// transient fault, and the job is retried (after the queue's back-off) from scratch with a new asset id, as many
/// times as <c>Queue:MaxAttempts</c> allows. Either way the asset is published only after all its objects are
/// stored, and is served afterwards.
/// <para>
/// moto keeps nothing across a restart (a real S3 outage loses no data), so the server is stopped while the job
/// is still slicing, before it stores anything: every object of the asset is uploaded after the restart. moto also
/// comes back without the bucket, and the test recreates it a moment after moto answers; an upload retried in that
/// moment is told "no such bucket", which is not an outage but an answer, so that attempt fails and the job is
/// retried from scratch (attempts 2) — the same path a longer outage takes. Either way: done, one asset, every
/// slice stored once.
/// </para>
/// </summary>
[Collection(Faults.Name)]
public sealed class S3OutageTests(Sources sources, ITestOutputHelper output) : IClassFixture<Sources>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Storing_waits_out_an_s3_outage_and_the_job_is_done_and_served_afterwards()
    {
        await using var deployment = await Deployment.StartAsync(new DeploymentSpec
        {
            OwnS3 = true,
            Environment = new Dictionary<string, string>
            {
                ["CLOUDSLICER_Queue__MaxAttempts"] = "3",
                ["CLOUDSLICER_Media__X264Preset"] = "veryslow",
            },
        });
        var client = deployment.Client();
        var slicer = await deployment.StartSlicerAsync();

        var id = await client.CreateAsync(sources.Url("long.mp4"), new { trim = "0,8000" });
        await Eventually.UntilAsync(
            () => client.GetJobAsync(id),
            j => j["progress"]!.GetValue<string>().StartsWith("Slicing", StringComparison.Ordinal),
            Deadline,
            "the job to be slicing");
        Assert.Empty(await deployment.ListObjectsAsync());   // nothing stored yet: moto's restart loses nothing of this job

        deployment.S3.Stop();

        // The slicer finishes encoding and reaches storing while S3 is down: its uploads retry.
        await Eventually.UntilAsync(
            () => Task.FromResult(slicer.Output),
            log => log.Split('\n').Any(line => line.Contains(" on bucket ", StringComparison.Ordinal) && line.Contains("; retrying in ", StringComparison.Ordinal)),
            Deadline,
            "the slicer's uploads to meet the outage");
        Assert.Equal("assigned", (await client.GetJobAsync(id))["state"]!.GetValue<string>());   // held, not failed

        await deployment.S3.StartServerAsync();
        await deployment.RecreateBucketAsync();

        var (job, seen) = await client.WaitFinishedAsync(id, Deadline);
        output.WriteLine($"last_error: {job["last_error"]}; seen: {string.Join(" | ", seen)}");
        output.WriteLine(slicer.Output);
        Assert.Equal("done", job["state"]!.GetValue<string>());
        if (job["attempts"]!.GetValue<int>() != 1)
        {
            Assert.Equal(2, job["attempts"]!.GetValue<int>());
            Assert.Contains("bucket does not exist", job["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // One asset: a failed attempt's objects went with it.
        var asset = job["asset"]!.GetValue<string>();
        Assert.Equal([asset], (await deployment.ListObjectsAsync("assets/")).Select(k => k.Split('/')[1]).Distinct());
        var stored = await StoredAsset.ReadAsync(deployment, deployment.Http(), asset);
        stored.AssertEverySliceStoredOnce();
        Assert.InRange(await Media.ProbeDurationAsync($"{deployment.Apis[0].Url}/{asset}.m3u8"), 7.5, 8.5);
    }

    [Fact]
    public async Task An_s3_outage_shorter_than_the_retry_budget_is_ridden_out_within_the_attempt()
    {
        // The way to S3 is cut and restored while moto keeps its data, as in a real outage: nothing to recreate,
        // so nothing but the outage itself acts on the job.
        await using var deployment = await Deployment.StartAsync(new DeploymentSpec
        {
            S3BehindOutage = true,
            Environment = new Dictionary<string, string> { ["CLOUDSLICER_Media__X264Preset"] = "veryslow" },
        });
        var client = deployment.Client();
        var slicer = await deployment.StartSlicerAsync();

        var id = await client.CreateAsync(sources.Url("long.mp4"), new { trim = "0,8000" });
        await Eventually.UntilAsync(
            () => client.GetJobAsync(id),
            j => j["progress"]!.GetValue<string>().StartsWith("Slicing", StringComparison.Ordinal),
            Deadline,
            "the job to be slicing");
        await deployment.S3Outage!.CutAsync();
        await Eventually.UntilAsync(
            () => Task.FromResult(slicer.Output),
            log => log.Split('\n').Count(line => line.Contains(" on bucket ", StringComparison.Ordinal) && line.Contains("; retrying in ", StringComparison.Ordinal)) >= 3,
            Deadline,
            "the slicer's uploads to meet the outage, and retry a few times");
        Assert.Equal("assigned", (await client.GetJobAsync(id))["state"]!.GetValue<string>());
        deployment.S3Outage.Restore();

        var (job, _) = await client.WaitFinishedAsync(id, Deadline);
        output.WriteLine(slicer.Output);
        Assert.Equal(("done", 1, ""), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>(), job["last_error"]!.GetValue<string>()));
        var asset = job["asset"]!.GetValue<string>();
        Assert.Equal([asset], (await deployment.ListObjectsAsync("assets/")).Select(k => k.Split('/')[1]).Distinct());
        (await StoredAsset.ReadAsync(deployment, deployment.Http(), asset)).AssertEverySliceStoredOnce();
        Assert.InRange(await Media.ProbeDurationAsync($"{deployment.Apis[0].Url}/{asset}.m3u8"), 7.5, 8.5);
    }
}
