using System.Collections.Concurrent;
using CloudSlicer.Storage.Slicers;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Slicer;

/// <summary>
/// Keeps this process's slicers in the <see cref="ISlicerRegistry"/>: registered with their kinds at start,
/// a beat every interval carrying the job each one works on, removed on a clean stop. A crash removes
/// nothing; the rows go stale on their own. Registry trouble never stops a slicer: it only makes the API's
/// "no running slicer" note wrong for a while.
/// </summary>
internal sealed partial class SlicerPresence(ISlicerRegistry registry, IReadOnlyList<SlicerRegistration> slicers, TimeProvider clock, ILogger logger)
{
    private readonly ConcurrentDictionary<string, string> _jobs = new();

    /// <summary>What <paramref name="slicer"/> works on from now on (null: idle); the next beat reports it.</summary>
    public void Working(string slicer, string? job)
    {
        if (job is null)
        {
            _jobs.TryRemove(slicer, out _);
        }
        else
        {
            _jobs[slicer] = job;
        }
    }

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var slicer in slicers)
            {
                await registry.RegisterAsync(slicer, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);   // the first beat registers whatever is missing
        }
    }

    /// <summary>Beats until <paramref name="stoppingToken"/> fires; a slicer whose row is gone is registered again.</summary>
    public async Task BeatAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    foreach (var slicer in slicers)
                    {
                        if (!await registry.BeatAsync(slicer.Id, _jobs.GetValueOrDefault(slicer.Id), stoppingToken).ConfigureAwait(false))
                        {
                            await registry.RegisterAsync(slicer, stoppingToken).ConfigureAwait(false);
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex);   // a database hiccup; the next beat tries again
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>A clean stop: this process's slicers leave the registry (after their jobs were handed back).</summary>
    public async Task RemoveAsync()
    {
        try
        {
            foreach (var slicer in slicers)
            {
                await registry.RemoveAsync(slicer.Id, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);   // the rows go stale like a crashed process's
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Could not update the slicer registry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
