using System.Net;
using CloudSlicer.Slicer.Sources;
using CloudSlicer.Storage.Notifications;
using CloudSlicer.Storage.Owners;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Notifications;

/// <summary>
/// Sends the outbox's due Slicebot notifications: a signed form POST through the SSRF guard. A 2xx answer
/// settles the row; anything else (another status, no connection, no answer in time) is a failed try, retried
/// after the job's <c>notify_retry_wait</c> until its <c>notify_retries</c> are spent; a refused address fails
/// at once. Jobs never wait on this: it runs apart from the slicers, on rows their transitions already wrote.
/// </summary>
public sealed class NotificationDelivery(
    INotificationOutbox outbox,
    IOwnerStore owners,
    SourceFetcher fetcher,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<NotificationDelivery> logger) : BackgroundService
{
    public const string UserAgent = "CloudSlicer/1.0 (notifications)";

    private static readonly TimeSpan EraseEvery = TimeSpan.FromHours(1);

    private readonly NotificationOptions _options = options.Value;
    private long _lastErase = long.MinValue;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Senders).Select(_ => SendLoopAsync(stoppingToken)));

    /// <summary>Claims and sends one due notification; false when none is due.</summary>
    internal async Task<bool> DeliverNextAsync(CancellationToken cancellationToken)
    {
        if (await outbox.TryClaimAsync(_options.LeaseDuration, cancellationToken).ConfigureAwait(false) is not { } claimed)
        {
            return false;
        }

        var (notification, lease) = (claimed.Notification, claimed.Lease);
        var where = SourceErrors.Describe(notification.Url);
        string error;
        var final = false;
        try
        {
            // The owner's keys are read at each try, so a key disabled meanwhile no longer signs.
            var keys = await owners.GetEnabledKeysAsync(notification.Owner, cancellationToken).ConfigureAwait(false);
            (string, string)[] headers = keys.Count > 0
                ? [("User-Agent", UserAgent), (NotificationSignature.Header, NotificationSignature.For(clock.GetUtcNow().ToUnixTimeSeconds(), notification.Body, keys))]
                : [("User-Agent", UserAgent)];
            var status = await fetcher.PostFormAsync(notification.Url, notification.Body, headers, _options.Timeout, cancellationToken).ConfigureAwait(false);
            if ((int)status is >= 200 and < 300)
            {
                await outbox.MarkDeliveredAsync(lease, cancellationToken).ConfigureAwait(false);
                NotificationLog.Delivered(logger, notification.Event, notification.JobId, where, notification.Attempts);
                return true;
            }

            error = $"{where} answered HTTP {(int)status}";
        }
        catch (SourceException ex)
        {
            error = ex.Message;

            // Refused by the guard: the same address is refused next time, so no retries.
            final = ex.Permanent;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: hand the row back so the next start sends it at once rather than after the lease.
            await outbox.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var state = await outbox.MarkFailedAsync(lease, error, final, cancellationToken).ConfigureAwait(false);
        if (state == NotificationState.Failed)
        {
            NotificationLog.GaveUp(logger, notification.Event, notification.JobId, where, error);
        }
        else
        {
            NotificationLog.TryFailed(logger, notification.Event, notification.JobId, where, notification.Attempts, notification.MaxAttempts, error);
        }

        return true;
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EraseSettledNowAndThenAsync(stoppingToken).ConfigureAwait(false);
                if (!await DeliverNextAsync(stoppingToken).ConfigureAwait(false))
                {
                    await Task.Delay(_options.PollInterval, clock, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A store fault must not end the sender; the rows wait in the outbox.
                NotificationLog.LoopFailed(logger, ex);
                await Task.Delay(_options.PollInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task EraseSettledNowAndThenAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastErase);
        if (last != long.MinValue && clock.GetElapsedTime(last, now) < EraseEvery)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastErase, now, last) == last)
        {
            await outbox.EraseSettledAsync(_options.Retention, cancellationToken).ConfigureAwait(false);
        }
    }
}
