using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// Failures no later attempt can mend (a refused address, a 4xx, a container outside the allow-list): the
/// job goes to error at once, still fenced by its lease; transient ones keep their retries.
/// </summary>
public abstract partial class JobQueueContract
{
    [Fact]
    public async Task Permanent_failure_errors_the_job_at_once_with_its_one_attempt_counted()
    {
        Options.RetryDelay = TimeSpan.FromSeconds(10);
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;
        await queue.HeartbeatAsync(claim.Lease, new JobProgress("Probing", 15), Ct);
        Clock.Advance(TimeSpan.FromSeconds(3));

        Assert.True(await queue.FailPermanentlyAsync(claim.Lease, "The source is a 'hls' playlist; only media files are sliced", Ct));

        var stored = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
        Assert.Equal(
            (JobState.Error, 1, Millis(), "The source is a 'hls' playlist; only media files are sliced", "", 0),
            (stored.State, stored.Attempts, stored.Finished, stored.LastError, stored.Progress, stored.Percent));
        Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await queue.TryClaimAsync("slicer-a", Ct));
        Assert.Equal(0, await queue.ReapExpiredLeasesAsync(Ct));
        Assert.Equal(LeaseStatus.Lost, await queue.HeartbeatAsync(claim.Lease, new JobProgress("Slicing 1%", 1), Ct));
        Assert.False(await queue.FailPermanentlyAsync(claim.Lease, "again", Ct));
        Assert.Equal(JobState.Error, (await queue.GetAsync(OwnerA, job.Id, Ct))!.State);
    }

    [Fact]
    public async Task Permanent_failure_on_a_retry_keeps_every_attempt_counted()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        var first = (await queue.TryClaimAsync("slicer-a", Ct))!;
        Assert.Equal(JobState.Waiting, await queue.FailAsync(first.Lease, "The source URL answered HTTP 503 Service Unavailable", Ct));
        var second = (await queue.TryClaimAsync("slicer-a", Ct))!;

        Assert.True(await queue.FailPermanentlyAsync(second.Lease, "The source URL answered HTTP 404 Not Found", Ct));

        var stored = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
        Assert.Equal((JobState.Error, 2, "The source URL answered HTTP 404 Not Found"), (stored.State, stored.Attempts, stored.LastError));
        Assert.True(Options.MaxAttempts > 2, "the attempts left must not be what ended the job");
    }

    [Fact]
    public async Task Permanent_failure_from_a_slicer_whose_lease_was_taken_over_is_fenced_out()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        var stale = (await queue.TryClaimAsync("slicer-a", Ct))!;
        Clock.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await queue.ReapExpiredLeasesAsync(Ct));
        var fresh = (await queue.TryClaimAsync("slicer-b", Ct))!;

        Assert.False(await queue.FailPermanentlyAsync(stale.Lease, "stale verdict", Ct));

        var stored = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
        Assert.Equal((JobState.Assigned, "slicer-b", 2), (stored.State, stored.Slicer, stored.Attempts));
        Assert.True(await queue.CompleteAsync(fresh.Lease, new JobOutput("fresh-asset"), Ct));
        Assert.Equal(JobState.Done, (await queue.GetAsync(OwnerA, job.Id, Ct))!.State);
    }

    [Fact]
    public async Task Permanent_failure_of_a_cancelled_job_leaves_it_cancelled()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;
        await queue.CancelAsync(OwnerA, job.Id, Ct);

        Assert.False(await queue.FailPermanentlyAsync(claim.Lease, "too late", Ct));

        var stored = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
        Assert.Equal((JobState.Cancelled, ""), (stored.State, stored.LastError));
    }

    [Fact]
    public async Task Transient_failure_still_waits_out_its_back_off_and_is_retried()
    {
        Options.RetryDelay = TimeSpan.FromSeconds(10);
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;

        Assert.Equal(JobState.Waiting, await queue.FailAsync(claim.Lease, "The source URL answered HTTP 503 Service Unavailable", Ct));

        Assert.Null(await queue.TryClaimAsync("slicer-a", Ct));
        Clock.Advance(Options.RetryDelay);
        var retry = (await queue.TryClaimAsync("slicer-a", Ct))!;
        Assert.Equal((job.Id, 2), (retry.Job.Id, retry.Job.Attempts));
    }
}
