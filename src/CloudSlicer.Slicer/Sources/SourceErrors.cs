using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.WebUtilities;

namespace CloudSlicer.Slicer.Sources;

/// <summary>
/// The words of every <see cref="SourceException"/>, in one place. They end up in a job's <c>last_error</c>,
/// so each says what went wrong and what to do, and names URLs without query or credentials.
/// </summary>
internal static class SourceErrors
{
    /// <summary><c>https://host:8443/a/b.mp4</c>: no user info, no query (presigned URLs keep their signature there).</summary>
    public static string Describe(Uri url) =>
        url.IsAbsoluteUri ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "(a relative URL)";

    public static SourceException NotAbsolute() =>
        new("The source URL must be absolute, such as https://media.example/video.mp4") { Permanent = true };

    public static SourceException Scheme(Uri url) =>
        new($"Only http and https sources can be fetched, not '{url.Scheme}'") { Permanent = true };

    public static SourceException Refused(Uri url, string reason) =>
        new($"Refused to fetch {Describe(url)}: {reason} (start with --allow-private-sources to allow it)") { Permanent = true };

    // A loop answers the same way next time.
    public static SourceException TooManyRedirects(int max) =>
        new($"Too many redirects (more than {max})") { Permanent = true };

    public static SourceException Downgrade(Uri from, Uri to) =>
        new($"Refused to follow the redirect from {Describe(from)} to {Describe(to)}: an https source must not be downgraded to plain http; "
            + "ask the server to redirect to https, or give a URL that does not redirect") { Permanent = true };

    public static SourceException Status(HttpStatusCode status)
    {
        var code = (int)status;
        var head = $"The source URL answered HTTP {code} {ReasonPhrases.GetReasonPhrase(code)}".TrimEnd();
        return new(code switch
        {
            >= 500 => $"{head}: the source server failed; try again later",
            >= 300 and < 400 => $"{head} without a redirect to follow: check that the URL is public and correct",
            _ => $"{head}: check that the URL is public and correct",
        })
        {
            // A 4xx will answer the same next time; 408 (timeout) and 429 (slow down) are worth another try.
            Permanent = code is >= 400 and < 500 and not 408 and not 429,
        };
    }

    public static SourceException TooLarge(long maxBytes, string evidence) =>
        new($"The source is larger than the {Size(maxBytes)} limit ({evidence}); use a local slicer for larger files") { Permanent = true };

    public static SourceException Idle(TimeSpan idleTimeout) =>
        new($"The source server sent no data for {Duration(idleTimeout)}");

    public static SourceException BelowFloor(long sent, TimeSpan window, long minBytesPerSecond) =>
        new($"The source sent {Binary(sent)} in {Duration(window)}, below the {Binary(minBytesPerSecond)}/s floor (Sources:MinBytesPerSecond); "
            + "check the source server or its network");

    public static SourceException DeadlineExceeded(TimeSpan deadline, long length, long minBytesPerSecond, TimeSpan allowance) =>
        new($"The source did not arrive within its {Duration(deadline)} deadline ({Binary(length)} at the {Binary(minBytesPerSecond)}/s floor "
            + $"plus {Duration(allowance)} to start; Sources:MinBytesPerSecond, Sources:ConnectTimeout, Sources:RateWindow); "
            + "check the source server or its network");

    public static SourceException SidecarTooSlow(TimeSpan sidecarTimeout) =>
        new($"The sidecar took longer than {Duration(sidecarTimeout)} (Sources:SidecarTimeout)");

    /// <summary>
    /// Turns what HttpClient and the guard threw while talking to <paramref name="hop"/> into a
    /// <see cref="SourceException"/>; null when the original should propagate (cancellation, or already ours).
    /// </summary>
    /// <param name="limit">The limit of <see cref="TransferWatch"/> that cancelled the transfer, if one did.</param>
    public static Exception? Translate(Exception exception, Uri hop, SourceOptions options, SourceException? limit, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // A disposed socket surfaces as IOException; the caller asked to stop, so say that.
            return exception is OperationCanceledException ? null : new OperationCanceledException(cancellationToken);
        }

        if (exception is SourceException)
        {
            return null;
        }

        if (Find<AddressRefusedException>(exception) is { } refused)
        {
            return Refused(hop, refused.Message);
        }

        if (limit is not null)
        {
            return limit;
        }

        var endpoint = $"{hop.IdnHost}:{hop.Port}";
        if (Find<TimeoutException>(exception) is not null)
        {
            return new SourceException($"Could not connect to {endpoint} within {Duration(options.ConnectTimeout)}: check that the server is up and reachable from the slicer", exception);
        }

        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
        {
            var socket = Find<SocketException>(exception);
            return socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain
                ? new SourceException($"Could not find the host {hop.IdnHost}: check that the URL is correct", exception)
                : new SourceException($"Could not connect to {endpoint}: {(socket ?? Innermost(exception)).Message}", exception);
        }

        return exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } =>
                new SourceException($"Could not make a secure connection to {endpoint}: {Innermost(exception).Message}", exception),
            HttpRequestException or IOException =>
                new SourceException($"The connection to {endpoint} failed: {Innermost(exception).Message}; try again", exception),
            OperationCanceledException =>
                new SourceException($"Could not connect to {endpoint} within {Duration(options.ConnectTimeout)}: check that the server is up and reachable from the slicer", exception),
            _ => null,
        };
    }

    /// <summary>"90 GB", "1 kB", "1500 bytes": decimal units, as disks and the 90 GB rule count.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1_000_000_000 when bytes % 1_000_000_000 == 0 => $"{bytes / 1_000_000_000} GB",
        >= 1_000_000 when bytes % 1_000_000 == 0 => $"{bytes / 1_000_000} MB",
        >= 1_000 when bytes % 1_000 == 0 => $"{bytes / 1_000} kB",
        _ => $"{bytes} bytes",
    };

    /// <summary>"20 bytes", "3.3 KiB", "64 KiB", "1.5 MiB": binary units, as rates are usually configured.</summary>
    public static string Binary(long bytes)
    {
        if (bytes < 1024)
        {
            return $"{bytes} bytes";
        }

        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        var value = bytes / 1024.0;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return $"{value.ToString("0.#", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    /// <summary>"60 s", "1.5 s", "300 ms".</summary>
    public static string Duration(TimeSpan duration) => duration < TimeSpan.FromSeconds(1)
        ? $"{(long)duration.TotalMilliseconds} ms"
        : $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
