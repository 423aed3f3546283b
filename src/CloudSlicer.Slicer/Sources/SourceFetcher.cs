using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Storage.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

[assembly: InternalsVisibleTo("CloudSlicer.Slicer.Tests")]

namespace CloudSlicer.Slicer.Sources;

/// <summary>
/// Downloads sources (http/https, and private s3:// objects through <see cref="S3SourceFetcher"/>) and reads sidecars over http/https behind the SSRF guard (<see cref="GuardedHttpClient"/>),
/// within the size limit, the idle timeout, the rate floor and the deadline (<see cref="TransferWatch"/>).
/// One per process: it owns the connection pool.
/// </summary>
public sealed class SourceFetcher : IDisposable
{
    private readonly SourceOptions _options;
    private readonly ILogger<SourceFetcher> _logger;
    private readonly TimeProvider _time;
    private readonly GuardedHttpClient _client;
    private readonly S3SourceFetcher? _s3;

    /// <param name="secrets">Opens an s3:// source's sealed credentials; without it s3:// sources cannot be fetched.</param>
    public SourceFetcher(IOptions<SourceOptions> options, ILogger<SourceFetcher> logger, TimeProvider? time = null, SecretBox? secrets = null)
        : this(options.Value, logger, Dns.GetHostAddressesAsync, time ?? TimeProvider.System, secrets)
    {
    }

    internal SourceFetcher(SourceOptions options, ILogger<SourceFetcher> logger, HostResolver resolve, TimeProvider time, SecretBox? secrets = null)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _client = new GuardedHttpClient(options, logger, resolve);
        _s3 = secrets is null ? null : new S3SourceFetcher(options, logger, resolve, time, secrets);
    }

    /// <summary>
    /// A job's source: a private <c>s3://endpoint/bucket/key</c> object with the job's sealed
    /// <paramref name="credentials"/> (<see cref="S3SourceFetcher"/>), or an http(s) URL as <see cref="DownloadAsync"/>.
    /// </summary>
    /// <exception cref="SourceException">The source could not be fetched; the message is meant for the job's owner.</exception>
    public Task<DownloadResult> DownloadSourceAsync(
        Uri url, string? credentials, string destinationPath, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!S3SourceLocation.IsS3(url.OriginalString))
        {
            return DownloadAsync(url, destinationPath, progress, cancellationToken);
        }

        return _s3 is null
            ? throw new InvalidOperationException("This SourceFetcher was made without a SecretBox; it cannot open s3:// sources' credentials")
            : _s3.DownloadAsync(url.OriginalString, credentials, destinationPath, progress, cancellationToken);
    }

    /// <summary>
    /// Streams <paramref name="url"/> into <paramref name="destinationPath"/> (created or replaced; removed again
    /// on failure). <paramref name="progress"/> gets 0..1 when the server sent a Content-Length.
    /// </summary>
    /// <exception cref="SourceException">The source could not be fetched; the message is meant for the job's owner.</exception>
    public async Task<DownloadResult> DownloadAsync(Uri url, string destinationPath, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using var watch = new TransferWatch(_options, _time, cancellationToken);
        var (response, hop) = await _client.SendAsync(url, watch, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw SourceErrors.Status(response.StatusCode);
            }

            var length = response.Content.Headers.ContentLength;
            if (length > _options.MaxBytes)
            {
                throw SourceErrors.TooLarge(_options.MaxBytes, $"Content-Length {length} bytes");
            }

            watch.StartBody(length);
            var bytes = await CopyToFileAsync(response, hop, destinationPath, progress, watch, cancellationToken).ConfigureAwait(false);
            SourceLog.Downloaded(_logger, bytes, SourceErrors.Describe(hop));
            return new DownloadResult(bytes, response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>
    /// The body of an optional small file such as a <c>.cfg</c> sidecar, or null when it cannot be had for any
    /// reason (missing, an HTTP error, larger than <paramref name="maxBytes"/>, refused by the guard, unreachable,
    /// slower than <see cref="SourceOptions.SidecarTimeout"/> all told). Only cancellation throws.
    /// </summary>
    public async Task<string?> TryFetchTextAsync(Uri url, int maxBytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var watch = new TransferWatch(_options, _time, cancellationToken);

        // A sidecar is a nicety: it may never hold the job longer than this, however it trickles.
        watch.LimitTotal(_options.SidecarTimeout, SourceErrors.SidecarTooSlow(_options.SidecarTimeout));
        try
        {
            var (response, hop) = await _client.SendAsync(url, watch, cancellationToken).ConfigureAwait(false);
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    SourceLog.SidecarSkipped(_logger, SourceErrors.Describe(url), $"HTTP {(int)response.StatusCode}");
                    return null;
                }

                if (response.Content.Headers.ContentLength > maxBytes)
                {
                    SourceLog.SidecarSkipped(_logger, SourceErrors.Describe(url), $"larger than {maxBytes} bytes");
                    return null;
                }

                var body = await ReadSmallBodyAsync(response, hop, maxBytes, watch, cancellationToken).ConfigureAwait(false);
                if (body is null)
                {
                    SourceLog.SidecarSkipped(_logger, SourceErrors.Describe(url), $"larger than {maxBytes} bytes");
                    return null;
                }

                using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            SourceLog.SidecarSkipped(_logger, SourceErrors.Describe(url), (watch.Fault ?? ex).Message);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>
    /// The body of a small file the job cannot do without (a caption file's <c>ttml_url</c>): fetched like a source,
    /// behind the guard and the transfer limits, but read no further than <paramref name="maxBytes"/>.
    /// </summary>
    /// <exception cref="SourceException">It could not be had, or it is larger than <paramref name="maxBytes"/> (permanent).</exception>
    public async Task<byte[]> FetchSmallAsync(Uri url, int maxBytes, CancellationToken cancellationToken)
    {
        using var watch = new TransferWatch(_options, _time, cancellationToken);
        var (response, hop) = await _client.SendAsync(url, watch, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw SourceErrors.Status(response.StatusCode);
            }

            var length = response.Content.Headers.ContentLength;
            var tooLarge = new SourceException($"{SourceErrors.Describe(url)} is larger than {maxBytes / 1024} KiB, more than a file of this kind can be") { Permanent = true };
            if (length > maxBytes)
            {
                throw tooLarge;
            }

            watch.StartBody(length);
            using var body = await ReadSmallBodyAsync(response, hop, maxBytes, watch, cancellationToken).ConfigureAwait(false) ?? throw tooLarge;
            return body.ToArray();
        }
    }

    /// <summary>
    /// POSTs a form body (a Slicebot notification) behind the same guard, with <paramref name="timeout"/> for
    /// everything up to the answer's headers; redirects are not followed (see <see cref="GuardedHttpClient.PostAsync"/>).
    /// Returns the answer's status.
    /// </summary>
    /// <exception cref="SourceException">No answer: refused by the guard (<see cref="SourceException.Permanent"/>), unreachable, or too slow.</exception>
    public async Task<HttpStatusCode> PostFormAsync(
        Uri url, string body, IEnumerable<(string Name, string Value)> headers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        try
        {
            return await _client.PostAsync(url, content, headers, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SourceException($"{SourceErrors.Describe(url)} did not answer within {SourceErrors.Duration(timeout)}", ex);
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _s3?.Dispose();
    }

    private async Task<long> CopyToFileAsync(
        HttpResponseMessage response, Uri hop, string path, IProgress<double>? progress, TransferWatch watch, CancellationToken cancellationToken)
    {
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(watch.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (SourceErrors.Translate(ex, hop, _options, watch.Fault, cancellationToken) is { } translated)
        {
            throw translated;
        }

        await using (body.ConfigureAwait(false))
        {
            return await SourceFile.CopyAsync(
                body, response.Content.Headers.ContentLength, path, progress, watch, _options,
                ex => SourceErrors.Translate(ex, hop, _options, watch.Fault, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The body in memory, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    private async Task<MemoryStream?> ReadSmallBodyAsync(
        HttpResponseMessage response, Uri hop, int maxBytes, TransferWatch watch, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(watch.Token).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            var chunk = new byte[8192];
            while (true)
            {
                watch.AwaitData();
                int read;
                try
                {
                    read = await body.ReadAsync(chunk, watch.Token).ConfigureAwait(false);
                    watch.Received(read);
                }
                catch (Exception ex) when (SourceErrors.Translate(ex, hop, _options, watch.Fault, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                if (read == 0)
                {
                    buffer.Position = 0;
                    return buffer;
                }

                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
    }
}
