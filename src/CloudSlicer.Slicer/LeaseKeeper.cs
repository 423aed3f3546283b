using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Slicer;

/// <summary>
/// Keeps a claimed job's lease alive with heartbeats (which also carry progress) and stops the job when
/// its owner cancels it or the lease is lost. A cancel from this process arrives through
/// <see cref="JobSignals"/> at once; one from another process arrives with the next heartbeat.
/// </summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IJobQueue _queue;
    private readonly Lease _lease;
    private readonly JobProgressTracker _progress;
    private readonly CancellationTokenSource _jobCts;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly IDisposable _cancelRegistration;
    private readonly Task _loop;
    private int _cancelRequested;
    private int _lost;

    public LeaseKeeper(IJobQueue queue, JobSignals signals, Lease lease, JobProgressTracker progress, CancellationTokenSource jobCts,
        TimeSpan interval, TimeProvider clock, ILogger logger)
    {
        _queue = queue;
        _lease = lease;
        _progress = progress;
        _jobCts = jobCts;
        _logger = logger;
        _cancelRegistration = signals.OnCancelled(lease.JobId, () => Stop(ref _cancelRequested));
        _loop = HeartbeatLoopAsync(interval, clock);
    }

    public bool CancelRequested => Volatile.Read(ref _cancelRequested) == 1;

    public bool Lost => Volatile.Read(ref _lost) == 1;

    public async ValueTask DisposeAsync()
    {
        _cancelRegistration.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    /// <summary>
    /// Sends one heartbeat now (also used when the pipeline enters a new phase). A failed heartbeat (a
    /// database hiccup) is logged, not thrown: the job keeps working, and if heartbeats keep failing the
    /// lease expires, the job is retried elsewhere, and this slicer's final write is fenced off.
    /// </summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        LeaseStatus status;
        try
        {
            status = await _queue.HeartbeatAsync(_lease, _progress.Current, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SlicerLog.HeartbeatFailed(_logger, _lease.JobId, ex);
            return;
        }

        switch (status)
        {
            case LeaseStatus.Held:
                break;
            case LeaseStatus.CancelRequested:
                Stop(ref _cancelRequested);
                break;
            case LeaseStatus.Lost:
                Stop(ref _lost);
                break;
        }
    }

    private async Task HeartbeatLoopAsync(TimeSpan interval, TimeProvider clock)
    {
        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            await BeatAsync(_stop.Token).ConfigureAwait(false);
        }
    }

    private void Stop(ref int flag)
    {
        Interlocked.Exchange(ref flag, 1);
        try
        {
            _jobCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the job already finished
        }
    }
}
