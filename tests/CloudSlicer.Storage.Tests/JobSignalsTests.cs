using CloudSlicer.Storage.Jobs;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// The idle slicer's wake-up. The poll runs on a fake clock that never moves, so a wait can only end by a signal;
/// the deadline only turns a wait that never ends into a failure.
/// </summary>
public sealed class JobSignalsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Work_announced_while_a_slicer_was_claiming_wakes_it_at_once()
    {
        var signals = new JobSignals();
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var nextWork = signals.NextWork;   // taken before the claim, as SlicerService does

        signals.NotifyWork();              // a job committed after the claim's snapshot, before the slicer waits

        await JobSignals.WaitForWorkAsync(nextWork, IdlePoll, clock, CancellationToken.None).WaitAsync(Deadline);
    }

    [Fact]
    public async Task An_idle_slicer_waits_for_the_next_announcement_not_a_past_one()
    {
        var signals = new JobSignals();
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        signals.NotifyWork();

        var idle = JobSignals.WaitForWorkAsync(signals.NextWork, IdlePoll, clock, CancellationToken.None);
        Assert.False(idle.IsCompleted);

        signals.NotifyWork();
        await idle.WaitAsync(Deadline);
    }
}
