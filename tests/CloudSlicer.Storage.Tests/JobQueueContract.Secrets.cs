using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// A job's spec (its never-echoed secrets: a source URL with credentials, an S3 source's sealed keys) is kept only
/// while the job may still run: every way to done, error or cancelled erases it; a retry or a release keeps it.
/// </summary>
public abstract partial class JobQueueContract
{
    private const string Spec = """{"url":"s3://s3.example/b/k.mp4","credentials":"v1.c2VhbGVk"}""";

    [Fact]
    public async Task A_done_job_keeps_no_secrets()
    {
        var queue = await CreateQueueAsync();
        var claim = await ClaimWithSecretsAsync(queue);
        Assert.Equal(Spec, claim.Job.SecretsJson);

        Assert.True(await queue.CompleteAsync(claim.Lease, new JobOutput("asset"), CancellationToken.None));

        await AssertNoSecretsAsync(queue, claim.Job.Id, JobState.Done);
    }

    [Fact]
    public async Task A_permanently_failed_job_keeps_no_secrets()
    {
        var queue = await CreateQueueAsync();
        var claim = await ClaimWithSecretsAsync(queue);

        Assert.True(await queue.FailPermanentlyAsync(claim.Lease, "The S3 source answered 404 Not Found", CancellationToken.None));

        await AssertNoSecretsAsync(queue, claim.Job.Id, JobState.Error);
    }

    [Fact]
    public async Task A_retried_job_keeps_its_secrets_until_its_last_attempt_fails()
    {
        var queue = await CreateQueueAsync();
        var claim = await ClaimWithSecretsAsync(queue);
        for (var attempt = 1; attempt < Options.MaxAttempts; attempt++)
        {
            Assert.Equal(JobState.Waiting, await queue.FailAsync(claim.Lease, "S3 server down", CancellationToken.None));
            Assert.Equal(Spec, (await queue.GetAsync(OwnerA, claim.Job.Id, CancellationToken.None))!.SecretsJson);
            claim = (await queue.TryClaimAsync("slicer-a", CancellationToken.None))!;
            Assert.Equal(Spec, claim.Job.SecretsJson);
        }

        Assert.Equal(JobState.Error, await queue.FailAsync(claim.Lease, "S3 server down", CancellationToken.None));

        await AssertNoSecretsAsync(queue, claim.Job.Id, JobState.Error);
    }

    [Fact]
    public async Task A_job_whose_last_lease_expired_keeps_no_secrets()
    {
        Options.MaxAttempts = 1;
        var queue = await CreateQueueAsync();
        var claim = await ClaimWithSecretsAsync(queue);
        Clock.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));

        Assert.Equal(1, await queue.ReapExpiredLeasesAsync(CancellationToken.None));

        await AssertNoSecretsAsync(queue, claim.Job.Id, JobState.Error);
    }

    [Fact]
    public async Task A_cancelled_job_keeps_no_secrets_whether_it_waited_or_ran()
    {
        var queue = await CreateQueueAsync();
        var waiting = await queue.EnqueueAsync(new NewJob(OwnerA, JobKind.Create, "{}", """{"url":"s3://s3.example/b/k.mp4"}""", Spec), CancellationToken.None);
        Assert.IsType<CancelOutcome.Cancelled>(await queue.CancelAsync(OwnerA, waiting.Id, CancellationToken.None));
        queue = await AssertNoSecretsAsync(queue, waiting.Id, JobState.Cancelled);

        var running = await ClaimWithSecretsAsync(queue);
        Assert.IsType<CancelOutcome.Cancelled>(await queue.CancelAsync(OwnerA, running.Job.Id, CancellationToken.None));
        await AssertNoSecretsAsync(queue, running.Job.Id, JobState.Cancelled);
    }

    [Fact]
    public async Task A_released_job_keeps_its_secrets_for_the_next_slicer()
    {
        var queue = await CreateQueueAsync();
        var claim = await ClaimWithSecretsAsync(queue);

        Assert.True(await queue.ReleaseAsync(claim.Lease, CancellationToken.None));

        Assert.Equal(Spec, (await queue.TryClaimAsync("slicer-b", CancellationToken.None))!.Job.SecretsJson);
    }

    private static async Task<ClaimedJob> ClaimWithSecretsAsync(IJobQueue queue)
    {
        await queue.EnqueueAsync(new NewJob(OwnerA, JobKind.Create, "{}", """{"url":"s3://s3.example/b/k.mp4"}""", Spec), CancellationToken.None);
        return (await queue.TryClaimAsync("slicer-a", CancellationToken.None))!;
    }

    /// <summary>Returns the reopened queue; the one given may be closed.</summary>
    private async Task<IJobQueue> AssertNoSecretsAsync(IJobQueue queue, string id, JobState state)
    {
        var stored = (await queue.GetAsync(OwnerA, id, CancellationToken.None))!;
        Assert.Equal((state, (string?)null), (stored.State, stored.SecretsJson));

        // Not merely hidden from this connection: a restart reads the same store.
        var reopened = await ReopenQueueAsync();
        Assert.Null((await reopened.GetAsync(OwnerA, id, CancellationToken.None))!.SecretsJson);
        return reopened;
    }
}
