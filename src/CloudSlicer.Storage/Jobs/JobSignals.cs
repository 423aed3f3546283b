using System.Collections.Concurrent;

namespace CloudSlicer.Storage.Jobs;

/// <summary>
/// In-process wake-ups: a new job wakes idle slicers at once, and a cancel reaches a slicer of the same
/// process without waiting for its next heartbeat (the one-box goal is cancel-to-stopped under 1 s).
/// Slicers in other processes still learn both from the store (claim polling and heartbeats).
/// </summary>
public sealed class JobSignals
{
    private readonly ConcurrentDictionary<string, Action> _cancelHandlers = new(StringComparer.Ordinal);
    private TaskCompletionSource _work = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called by the store after a job was committed as waiting.</summary>
    public void NotifyWork() => Interlocked.Exchange(ref _work, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// The wake-up the next <see cref="NotifyWork"/> completes. A slicer takes it before it looks for work and waits on
    /// it (<see cref="WaitForWorkAsync(Task, TimeSpan, TimeProvider, CancellationToken)"/>) when it found none, so work
    /// announced while it was looking, too late for its claim to see, wakes it at once rather than at its next poll.
    /// </summary>
    public Task NextWork => Volatile.Read(ref _work).Task;

    /// <summary>Completes when work is announced or after <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitForWorkAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken) =>
        WaitForWorkAsync(NextWork, timeout, clock, cancellationToken);

    /// <summary>Completes when <paramref name="nextWork"/> (taken from <see cref="NextWork"/>) does or after <paramref name="timeout"/>.</summary>
    public static async Task WaitForWorkAsync(Task nextWork, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nextWork);
        try
        {
            await nextWork.WaitAsync(timeout, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Polling fallback: jobs may come from another process sharing the store.
        }
    }

    /// <summary>Called by the store after an assigned job was committed as cancelled.</summary>
    public void NotifyCancelled(string jobId)
    {
        if (_cancelHandlers.TryGetValue(jobId, out var handler))
        {
            handler();
        }
    }

    /// <summary>Registers the action that stops a running job; dispose to unregister.</summary>
    public IDisposable OnCancelled(string jobId, Action handler)
    {
        _cancelHandlers[jobId] = handler;
        return new Registration(this, jobId);
    }

    private sealed class Registration(JobSignals signals, string jobId) : IDisposable
    {
        public void Dispose() => signals._cancelHandlers.TryRemove(jobId, out _);
    }
}
