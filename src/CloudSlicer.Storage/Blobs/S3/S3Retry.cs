using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Storage.Blobs.S3;

/// <summary>
/// Calls to S3 that outlast an outage. The SDK retries each call a few times within a second or two (standard mode);
/// this retries the whole call again — no connection, a 5xx, throttling, a timeout — with a doubling back-off up to
/// <see cref="MaxDelay"/> until <c>budget</c> has passed on <c>clock</c>, then gives up with a
/// <see cref="BlobStoreUnavailableException"/>. Every call it wraps is idempotent (a put of the same bytes, a
/// copy, a delete, a read), and a body is made anew for each attempt, so an attempt may always be repeated.
/// </summary>
internal sealed partial class S3Retry(TimeProvider clock, TimeSpan budget, string bucket, ILogger logger)
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(4);

    public async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Reason(ex) is { } reason)
            {
                if (clock.GetElapsedTime(started) + delay > budget)
                {
                    throw new BlobStoreUnavailableException(
                        string.Create(CultureInfo.InvariantCulture, $"The blob store (S3 bucket '{bucket}') did not answer for {budget.TotalSeconds:0} s ({reason}); the work will be retried later"),
                        ex);
                }

                Retrying(logger, operation, bucket, reason, delay.TotalMilliseconds);
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    public Task RunAsync(string operation, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RunAsync<bool>(operation, async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Why a failure may mend itself, in words fit for a message (no host, no key), or null when it will not.</summary>
    internal static string? Reason(Exception ex)
    {
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AmazonServiceException { StatusCode: var status, ErrorCode: var code } when (int)status >= 500 || status == HttpStatusCode.TooManyRequests
                    || code is "SlowDown" or "Throttling" or "ThrottlingException" or "RequestTimeout" or "RequestTimeTooSkewed":
                    return string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)status}{(string.IsNullOrEmpty(code) ? "" : " " + code)}");
                case SocketException or HttpRequestException { StatusCode: null }:
                    return "no connection";
                case HttpIOException or TimeoutException or TaskCanceledException:
                    return "the connection failed or timed out";
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "S3 {Operation} on bucket {Bucket} failed ({Reason}); retrying in {DelayMs} ms")]
    private static partial void Retrying(ILogger logger, string operation, string bucket, string reason, double delayMs);
}
