using System.Net;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Slicer.Sources;

/// <summary>
/// GET (and a notification's single POST) over http/https with the SSRF guard on every hop: redirects are followed here, not by the handler, so
/// each hop's scheme is checked and counted, and every connection's resolved address is checked in
/// <see cref="GuardedConnector"/>.
/// </summary>
internal sealed class GuardedHttpClient : IDisposable
{
    private readonly SourceOptions _options;
    private readonly ILogger _logger;
    private readonly AddressPolicy _policy;
    private readonly HttpClient _client;

    public GuardedHttpClient(SourceOptions options, ILogger logger, HostResolver resolve)
    {
        _options = options;
        _logger = logger;
        _policy = AddressPolicy.From(options);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,   // followed in SendAsync, so each hop's scheme and address are checked
            UseProxy = false,            // a proxy would connect on our behalf, past the address check
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,   // the file must be the bytes the server holds
            ConnectTimeout = options.ConnectTimeout,
            ConnectCallback = new GuardedConnector(_policy, resolve).ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        // No overall timeout here: 90 GB takes hours on a slow link. TransferWatch holds each fetch to the
        // idle timeout, the rate floor and a deadline scaled to its length.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("CloudSlicer/1.0");
    }

    /// <summary>Sends GET and follows redirects itself; returns the final response (headers only) and its URL.</summary>
    public async Task<(HttpResponseMessage Response, Uri Url)> SendAsync(Uri url, TransferWatch watch, CancellationToken cancellationToken)
    {
        var hop = url;
        for (var redirects = 0; ; redirects++)
        {
            CheckBeforeConnecting(hop);
            using var request = new HttpRequestMessage(HttpMethod.Get, hop);
            HttpResponseMessage response;
            try
            {
                watch.AwaitHeaders();
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watch.Token).ConfigureAwait(false);
                watch.Received(0);
            }
            catch (Exception ex) when (SourceErrors.Translate(ex, hop, _options, watch.Fault, cancellationToken) is { } translated)
            {
                throw translated;
            }

            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return (response, hop);
            }

            response.Dispose();
            if (redirects >= _options.MaxRedirects)
            {
                throw SourceErrors.TooManyRedirects(_options.MaxRedirects);
            }

            var next = NextHop(hop, location);
            SourceLog.Redirected(_logger, SourceErrors.Describe(hop), SourceErrors.Describe(next));
            hop = next;
        }
    }

    /// <summary>
    /// POSTs <paramref name="content"/> once and returns the answer's status. A redirect is not followed but
    /// returned like any other answer: re-sending a signed body to wherever a receiver points would let it
    /// aim our POST past the guard's intent, and a receiver that moved can be given its new URL.
    /// </summary>
    public async Task<HttpStatusCode> PostAsync(
        Uri url, HttpContent content, IEnumerable<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        CheckBeforeConnecting(url);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.StatusCode;
        }
        catch (Exception ex) when (SourceErrors.Translate(ex, url, _options, null, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The scheme, and a literal IP address in the URL, are checked before any connection for a clearer
    /// message; host names are checked on their resolved addresses by <see cref="GuardedConnector"/>.
    /// </summary>
    private void CheckBeforeConnecting(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            throw SourceErrors.NotAbsolute();
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw SourceErrors.Scheme(url);
        }

        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(url.DnsSafeHost, out var literal)
            && _policy.RefusalFor(url.DnsSafeHost, literal) is { } reason)
        {
            throw SourceErrors.Refused(url, reason);
        }
    }

    /// <summary>Where a redirect from <paramref name="hop"/> leads; never from https down to plain http.</summary>
    internal static Uri NextHop(Uri hop, Uri location)
    {
        var next = location.IsAbsoluteUri ? location : new Uri(hop, location);

        // What https promised (no one on the path reads or swaps the media) must hold to the last hop.
        return hop.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp
            ? throw SourceErrors.Downgrade(hop, next)
            : next;
    }

    private static bool IsRedirect(HttpStatusCode status) => status is
        HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    public void Dispose() => _client.Dispose();
}
