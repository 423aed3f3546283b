using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Tests;

/// <summary>The contract's second half: what owners do to their jobs, retention, durability and wake-ups.</summary>
public abstract partial class JobQueueContract
{
    [Fact]
    public async Task Cancelled_waiting_job_is_never_claimed()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        Clock.Advance(TimeSpan.FromSeconds(5));

        var outcome = Assert.IsType<CancelOutcome.Cancelled>(await queue.CancelAsync(OwnerA, job.Id, Ct));

        Assert.Equal((JobState.Cancelled, 0L), (outcome.Job.State, outcome.Job.Finished));
        Assert.Equal(outcome.Job, await queue.GetAsync(OwnerA, job.Id, Ct));
        Assert.Null(await queue.TryClaimAsync("slicer-a", Ct));
    }

    [Fact]
    public async Task Cancel_of_an_assigned_job_is_reported_by_the_next_heartbeat()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = Signals.OnCancelled(job.Id, () => stopped.TrySetResult());

        var outcome = Assert.IsType<CancelOutcome.Cancelled>(await queue.CancelAsync(OwnerA, job.Id, Ct));

        Assert.Equal(JobState.Cancelled, outcome.Job.State);
        Assert.True(stopped.Task.IsCompleted, "the in-process cancel handler should run as the cancel commits");
        Assert.Equal(LeaseStatus.CancelRequested, await queue.HeartbeatAsync(claim.Lease, new JobProgress("Slicing 5%", 5), Ct));
        Assert.False(await queue.CompleteAsync(claim.Lease, new JobOutput("late-asset"), Ct));
        Assert.Null(await queue.FailAsync(claim.Lease, "stopped", Ct));
        var stored = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
        Assert.Equal((JobState.Cancelled, (string?)null, 0L), (stored.State, stored.Asset, stored.Finished));
    }

    [Fact]
    public async Task Finished_job_cannot_be_cancelled()
    {
        var queue = await CreateQueueAsync();
        var done = await DoneJobAsync(queue, OwnerA);
        var cancelled = await EnqueueAsync(queue, OwnerA);
        await queue.CancelAsync(OwnerA, cancelled.Id, Ct);

        var outcome = Assert.IsType<CancelOutcome.AlreadyFinished>(await queue.CancelAsync(OwnerA, done.Id, Ct));
        Assert.Equal(JobState.Done, outcome.Job.State);
        var again = Assert.IsType<CancelOutcome.AlreadyFinished>(await queue.CancelAsync(OwnerA, cancelled.Id, Ct));
        Assert.Equal(JobState.Cancelled, again.Job.State);
    }

    [Fact]
    public async Task Another_owners_job_is_not_found_by_get_cancel_or_delete()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);

        Assert.Null(await queue.GetAsync(OwnerB, job.Id, Ct));
        Assert.IsType<CancelOutcome.NotFound>(await queue.CancelAsync(OwnerB, job.Id, Ct));
        Assert.Equal(DeleteOutcome.NotFound, await queue.DeleteAsync(OwnerB, job.Id, Ct));
        Assert.Empty(await queue.ListAsync(OwnerB, 50, 0, Ct));
        Assert.IsType<CancelOutcome.NotFound>(await queue.CancelAsync(OwnerA, Core.Ids.New(), Ct));
        Assert.Equal(DeleteOutcome.NotFound, await queue.DeleteAsync(OwnerA, Core.Ids.New(), Ct));

        Assert.Equal(JobState.Waiting, (await queue.GetAsync(OwnerA, job.Id, Ct))!.State);
    }

    [Fact]
    public async Task Jobs_in_every_state_but_assigned_can_be_deleted()
    {
        var queue = await CreateQueueAsync();
        var error = await ErrorJobAsync(queue, OwnerA);
        var done = await DoneJobAsync(queue, OwnerA);
        var cancelled = await EnqueueAsync(queue, OwnerA);
        await queue.CancelAsync(OwnerA, cancelled.Id, Ct);
        var waiting = await EnqueueAsync(queue, OwnerA);

        foreach (var job in new[] { error, done, cancelled, waiting })
        {
            Assert.Equal(DeleteOutcome.Deleted, await queue.DeleteAsync(OwnerA, job.Id, Ct));
            Assert.Null(await queue.GetAsync(OwnerA, job.Id, Ct));
            Assert.Equal(DeleteOutcome.NotFound, await queue.DeleteAsync(OwnerA, job.Id, Ct));
        }
    }

    [Fact]
    public async Task Assigned_job_cannot_be_deleted()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;

        Assert.Equal(DeleteOutcome.Assigned, await queue.DeleteAsync(OwnerA, job.Id, Ct));
        Assert.Equal(LeaseStatus.Held, await queue.HeartbeatAsync(claim.Lease, new JobProgress("Slicing 1%", 1), Ct));
    }

    [Fact]
    public async Task List_is_newest_first_with_limit_and_skip_and_only_the_owners_jobs()
    {
        var queue = await CreateQueueAsync();
        var mine = new List<Job>();
        for (var i = 0; i < 5; i++)
        {
            mine.Add(await EnqueueAsync(queue, OwnerA));
            await EnqueueAsync(queue, OwnerB);
            // Every other job shares its millisecond with the previous one: creation order must still hold.
            Clock.Advance(TimeSpan.FromMilliseconds(i % 2));
        }

        var newestFirst = mine.Select(j => j.Id).Reverse().ToList();
        Assert.Equal(newestFirst, (await queue.ListAsync(OwnerA, 50, 0, Ct)).Select(j => j.Id));
        Assert.Equal(newestFirst.Skip(1).Take(2), (await queue.ListAsync(OwnerA, 2, 1, Ct)).Select(j => j.Id));
        Assert.Empty(await queue.ListAsync(OwnerA, 50, 5, Ct));
        Assert.Empty(await queue.ListAsync(OwnerA, 0, 0, Ct));
        Assert.All(await queue.ListAsync(OwnerB, 50, 0, Ct), j => Assert.Equal(OwnerB, j.Owner));
    }

    [Fact]
    public async Task Finished_jobs_are_erased_after_the_retention_and_unfinished_jobs_never()
    {
        var queue = await CreateQueueAsync();
        var done = await DoneJobAsync(queue, OwnerA);
        var cancelled = await EnqueueAsync(queue, OwnerA);
        await queue.CancelAsync(OwnerA, cancelled.Id, Ct);
        var assigned = await EnqueueAsync(queue, OwnerA);
        Assert.Equal(assigned.Id, (await queue.TryClaimAsync("slicer-a", Ct))!.Job.Id);
        var waiting = await EnqueueAsync(queue, OwnerA);

        Clock.Advance(TimeSpan.FromHours(71));
        Assert.Equal(0, await queue.EraseFinishedAsync(Ct));
        Assert.Equal(4, (await queue.ListAsync(OwnerA, 50, 0, Ct)).Count);

        Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(2, await queue.EraseFinishedAsync(Ct));
        Assert.Null(await queue.GetAsync(OwnerA, done.Id, Ct));
        Assert.Null(await queue.GetAsync(OwnerA, cancelled.Id, Ct));
        Assert.NotNull(await queue.GetAsync(OwnerA, assigned.Id, Ct));
        Assert.NotNull(await queue.GetAsync(OwnerA, waiting.Id, Ct));

        Clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(0, await queue.EraseFinishedAsync(Ct));
        Assert.NotNull(await queue.GetAsync(OwnerA, waiting.Id, Ct));
    }

    [Fact]
    public async Task Jobs_and_leases_survive_reopening_the_store()
    {
        var queue = await CreateQueueAsync();
        var done = await DoneJobAsync(queue, OwnerA);
        var running = await EnqueueAsync(queue, OwnerA);
        var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;
        var waiting = await EnqueueAsync(queue, OwnerB);
        var before = new[]
        {
            await queue.GetAsync(OwnerA, done.Id, Ct), await queue.GetAsync(OwnerA, running.Id, Ct), await queue.GetAsync(OwnerB, waiting.Id, Ct),
        };

        var reopened = await ReopenQueueAsync();

        var after = new[]
        {
            await reopened.GetAsync(OwnerA, done.Id, Ct), await reopened.GetAsync(OwnerA, running.Id, Ct), await reopened.GetAsync(OwnerB, waiting.Id, Ct),
        };
        Assert.Equal(before, after);
        Assert.Equal(LeaseStatus.Held, await reopened.HeartbeatAsync(claim.Lease, new JobProgress("Slicing 7%", 7), Ct));
        Assert.Equal(waiting.Id, (await reopened.TryClaimAsync("slicer-b", Ct))!.Job.Id);
    }

    [Fact]
    public async Task Enqueue_wakes_a_slicer_waiting_for_work()
    {
        var queue = await CreateQueueAsync();
        var wait = Signals.WaitForWorkAsync(TimeSpan.FromMinutes(10), TimeProvider.System, Ct);
        Assert.False(wait.IsCompleted);

        await EnqueueAsync(queue, OwnerA);

        // A guard against a hang, not a sleep: the wait has already completed when NotifyWork ran.
        await wait.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task Failed_attempt_and_expired_lease_wake_slicers_waiting_for_work()
    {
        var queue = await CreateQueueAsync();
        await EnqueueAsync(queue, OwnerA);
        var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;

        var afterFail = Signals.WaitForWorkAsync(TimeSpan.FromMinutes(10), TimeProvider.System, Ct);
        Assert.Equal(JobState.Waiting, await queue.FailAsync(claim.Lease, "network glitch", Ct));
        await afterFail.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        await queue.TryClaimAsync("slicer-a", Ct);
        Clock.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));
        var afterReap = Signals.WaitForWorkAsync(TimeSpan.FromMinutes(10), TimeProvider.System, Ct);
        Assert.Equal(1, await queue.ReapExpiredLeasesAsync(Ct));
        await afterReap.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    /// <summary>A done job; call it when no other job waits, since it claims the next one.</summary>
    protected async Task<Job> DoneJobAsync(IJobQueue queue, string owner)
    {
        var job = await EnqueueAsync(queue, owner);
        var claim = (await queue.TryClaimAsync("slicer-setup", Ct))!;
        Assert.Equal(job.Id, claim.Job.Id);
        Assert.True(await queue.CompleteAsync(claim.Lease, new JobOutput(Core.Ids.New()), Ct));
        return job;
    }

    /// <summary>A job whose attempts are spent; call it when no other job waits.</summary>
    protected async Task<Job> ErrorJobAsync(IJobQueue queue, string owner)
    {
        var job = await EnqueueAsync(queue, owner);
        for (var attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            var claim = (await queue.TryClaimAsync("slicer-setup", Ct))!;
            Assert.Equal(job.Id, claim.Job.Id);
            await queue.FailAsync(claim.Lease, "unsupported codec", Ct);
        }

        Assert.Equal(JobState.Error, (await queue.GetAsync(owner, job.Id, Ct))!.State);
        return job;
    }
}
