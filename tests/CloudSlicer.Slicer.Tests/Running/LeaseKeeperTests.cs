using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudSlicer.Slicer.Tests.Running;

/// <summary>The lease keeper on a real queue: heartbeats follow the clock, and a cancel or a lost lease stops the job.</summary>
public sealed class LeaseKeeperTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly QueueOnDisk _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Each_interval_renews_the_lease_and_records_progress()
    {
        var interval = TimeSpan.FromSeconds(20);
        var (lease, jobCts, progress) = await ClaimAsync();
        await using var keeper = Keep(lease, jobCts, progress, interval);
        progress.Phase("Slicing 40%", 40);

        await WaitForTimerAsync();
        _store.Clock.Advance(interval);

        var job = await Eventually.UntilAsync(() => _store.GetAsync(lease.JobId), j => j.Percent == 40, Deadline, "the heartbeat to record progress");
        Assert.Equal("Slicing 40%", job.Progress);

        // 35 s after the claim (lease 30 s) the job is still held: the beat at 20 s renewed it.
        _store.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(0, await _store.Queue.ReapExpiredLeasesAsync(CancellationToken.None));
        Assert.False(jobCts.IsCancellationRequested);
    }

    [Fact]
    public async Task A_cancel_in_this_process_stops_the_job_at_once_without_waiting_for_a_heartbeat()
    {
        var (lease, jobCts, progress) = await ClaimAsync();
        await using var keeper = Keep(lease, jobCts, progress, TimeSpan.FromHours(1));

        await _store.Queue.CancelAsync(QueueOnDisk.Owner, lease.JobId, CancellationToken.None);

        Assert.True(jobCts.IsCancellationRequested);
        Assert.True(keeper.CancelRequested);
        Assert.False(keeper.Lost);
    }

    [Fact]
    public async Task A_cancel_from_another_process_arrives_with_the_next_heartbeat()
    {
        var (lease, jobCts, progress) = await ClaimAsync();
        await using var keeper = Keep(lease, jobCts, progress, Interval);

        await _store.OtherProcess().CancelAsync(QueueOnDisk.Owner, lease.JobId, CancellationToken.None);
        Assert.False(jobCts.IsCancellationRequested);

        await WaitForTimerAsync();
        _store.Clock.Advance(Interval);
        await Eventually.UntilAsync(() => Task.FromResult(jobCts.IsCancellationRequested), c => c, Deadline, "the heartbeat to learn of the cancel");
        Assert.True(keeper.CancelRequested);
    }

    [Fact]
    public async Task A_lease_that_expired_and_went_to_another_slicer_stops_the_job_as_lost()
    {
        var (lease, jobCts, progress) = await ClaimAsync();
        await using var keeper = Keep(lease, jobCts, progress, TimeSpan.FromMinutes(1));

        // No heartbeat for longer than the lease: the reaper hands the job back and another slicer takes it.
        await WaitForTimerAsync();
        _store.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await _store.Queue.ReapExpiredLeasesAsync(CancellationToken.None));
        _store.Clock.Advance(TimeSpan.FromSeconds(11));   // past the 10 s retry back-off, before the keeper's next beat
        var other = await _store.Queue.TryClaimAsync("other-slicer", CancellationToken.None);
        Assert.Equal(lease.JobId, other?.Job.Id);

        _store.Clock.Advance(TimeSpan.FromSeconds(20));   // the keeper's beat at 60 s
        await Eventually.UntilAsync(() => Task.FromResult(jobCts.IsCancellationRequested), c => c, Deadline, "the heartbeat to find the lease lost");
        Assert.True(keeper.Lost);
        Assert.False(keeper.CancelRequested);
        Assert.Equal("other-slicer", (await _store.GetAsync(lease.JobId)).Slicer);
    }

    private async Task<(Lease Lease, CancellationTokenSource JobCts, JobProgressTracker Progress)> ClaimAsync()
    {
        var job = await _store.EnqueueAsync();
        var claimed = await _store.Queue.TryClaimAsync("slicer-1", CancellationToken.None);
        Assert.Equal(job.Id, claimed?.Job.Id);
        return (claimed!.Lease, new CancellationTokenSource(), new JobProgressTracker());
    }

    private LeaseKeeper Keep(Lease lease, CancellationTokenSource jobCts, JobProgressTracker progress, TimeSpan interval) =>
        new(_store.Queue, _store.Signals, lease, progress, jobCts, interval, _store.Clock, NullLogger.Instance);

    // The keeper arms its timer on its own task; advancing before that would skip the tick.
    private Task<int> WaitForTimerAsync() =>
        Eventually.UntilAsync(() => Task.FromResult(_store.Clock.ActiveTimers), n => n > 0, Deadline, "the heartbeat timer");
}
