using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Slicers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Api.Maintenance;

/// <summary>
/// Tells waiting jobs whether any running slicer can do them (their <c>progress</c> says so when none can,
/// and stops saying it once one can), and forgets the registry rows of processes that died long ago. Every
/// API node runs it; both statements are idempotent. It writes progress only: no job spends an attempt or
/// changes state because of it.
/// </summary>
public sealed partial class SlicerMaintenance(IJobQueue queue, ISlicerRegistry registry, TimeProvider clock, ILogger<SlicerMaintenance> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    // Long enough for an operator to see which slicers died recently; short enough that pids never pile up.
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);   // a database hiccup; try again next tick
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass: what the live slicers can do, then the waiting jobs' notes to match.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var alive = await registry.ListAliveAsync(cancellationToken).ConfigureAwait(false);
        var served = alive.SelectMany(s => s.Kinds).ToHashSet();
        var noted = await queue.NoteUnservedKindsAsync(served, cancellationToken).ConfigureAwait(false);
        if (noted > 0)
        {
            LogNoted(logger, noted, alive.Count);
        }

        await registry.ForgetStaleAsync(ForgetAfter, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "Updated the waiting note of {Count} jobs ({Alive} slicers alive)")]
    private static partial void LogNoted(ILogger logger, int count, int alive);

    [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "Slicer maintenance failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
