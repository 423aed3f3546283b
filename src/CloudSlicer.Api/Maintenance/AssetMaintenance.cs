using CloudSlicer.Storage.Assets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Api.Maintenance;

/// <summary>
/// Deletes assets whose <c>autoexpire</c> time has passed (by the store's clock) and finishes deletes a crash
/// interrupted. Every API node runs it; a tombstone is claimed by one conditional statement, so nodes do not
/// fight over an asset, and removing blobs twice is harmless.
/// </summary>
public sealed partial class AssetMaintenance(AssetRemover remover, TimeProvider clock, ILogger<AssetMaintenance> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                IReadOnlyList<string> removed;
                do
                {
                    removed = await remover.SweepAsync(Batch, stoppingToken).ConfigureAwait(false);
                    if (removed.Count > 0)
                    {
                        LogSwept(logger, removed.Count);
                    }
                }
                while (removed.Count >= Batch);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);   // a database or disk hiccup; try again next tick
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Removed {Count} expired or deleted assets")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Asset maintenance failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
