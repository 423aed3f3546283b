using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Api.Maintenance;

/// <summary>
/// Returns jobs whose slicer died (lease expired) to waiting or error, and erases finished jobs past their
/// retention. Every API node runs it; both statements are idempotent, so several nodes doing it is harmless.
/// </summary>
public sealed partial class QueueMaintenance(IJobQueue queue, TimeProvider clock, ILogger<QueueMaintenance> logger) : BackgroundService
{
    // Much shorter than the lease: a dead slicer's job is back in the queue soon after its lease ends.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                var reaped = await queue.ReapExpiredLeasesAsync(stoppingToken).ConfigureAwait(false);
                var erased = await queue.EraseFinishedAsync(stoppingToken).ConfigureAwait(false);
                if (reaped + erased > 0)
                {
                    LogSwept(logger, reaped, erased);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);   // a database hiccup; try again next tick
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Returned {Reaped} jobs with expired leases; erased {Erased} finished jobs")]
    private static partial void LogSwept(ILogger logger, int reaped, int erased);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Queue maintenance failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
