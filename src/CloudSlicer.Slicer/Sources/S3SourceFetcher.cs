using System.Net;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Storage.Secrets;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Slicer.Sources;

/// <summary>
/// Downloads a private <c>s3://endpoint/bucket/key</c> source with the AWS SDK, signed with the job's own
/// credentials (opened from their sealed form only here, for the one request). Every connection the SDK makes goes
/// through the SSRF guard (<see cref="GuardedConnector"/>) via its HttpClient factory, and the body is held to the
/// same size cap, idle timeout, rate floor and deadline as an http source (<see cref="TransferWatch"/>).
/// </summary>
internal sealed partial class S3SourceFetcher : IDisposable
{
    private const string DefaultRegion = "us-east-1";

    private readonly SourceOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SecretBox _secrets;
    private readonly AddressPolicy _policy;
    private readonly HttpClient _http;

    public S3SourceFetcher(SourceOptions options, ILogger logger, HostResolver resolve, TimeProvider time, SecretBox secrets)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _secrets = secrets;
        _policy = AddressPolicy.From(options);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,   // S3 answers a wrong region with an error, not a redirect worth following
            UseProxy = false,            // a proxy would connect on our behalf, past the address check
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            ConnectCallback = new GuardedConnector(_policy, resolve).ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<DownloadResult> DownloadAsync(
        string url, string? sealedCredentials, string destinationPath, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (!S3SourceLocation.TryParse(url, "source.url", out var parsed, out _))
        {
            throw S3SourceErrors.BadLocation();
        }

        var location = parsed!;
        var endpoint = new UriBuilder(_options.S3PlainHttp ? Uri.UriSchemeHttp : Uri.UriSchemeHttps, location.Host.Trim('[', ']'), location.Port ?? -1).Uri;

        // A literal address is judged before anything is dialled, for a clear message; names are judged on what
        // they resolve to, at connect time, by the guard under the SDK.
        if (IPAddress.TryParse(location.Host.Trim('[', ']'), out var literal) && _policy.RefusalFor(location.Host, literal) is { } reason)
        {
            throw S3SourceErrors.Refused(location, reason);
        }

        var credentials = Open(sealedCredentials);
        using var watch = new TransferWatch(_options, _time, cancellationToken);
        using var client = new AmazonS3Client(new BasicAWSCredentials(credentials.ApiKey, credentials.ApiSecret), Config(endpoint, location.Host));
        GetObjectResponse response;
        try
        {
            watch.AwaitHeaders();
            response = await client.GetObjectAsync(new GetObjectRequest { BucketName = location.Bucket, Key = location.Key }, watch.Token).ConfigureAwait(false);
            watch.Received(0);
        }
        catch (Exception ex) when (S3SourceErrors.Translate(ex, location, endpoint, _options, watch.Fault, cancellationToken) is { } translated)
        {
            throw translated;
        }

        using (response)
        {
            long? length = response.ContentLength >= 0 ? response.ContentLength : null;
            if (length > _options.MaxBytes)
            {
                throw SourceErrors.TooLarge(_options.MaxBytes, $"Content-Length {length} bytes");
            }

            watch.StartBody(length);
            var bytes = await SourceFile.CopyAsync(
                response.ResponseStream, length, destinationPath, progress, watch, _options,
                ex => S3SourceErrors.Translate(ex, location, endpoint, _options, watch.Fault, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            SourceLog.Downloaded(_logger, bytes, $"s3://{location.Endpoint}/{location.Bucket}/{location.Key}");
            return new DownloadResult(bytes, response.Headers.ContentType);
        }
    }

    public void Dispose() => _http.Dispose();

    private S3Credentials Open(string? sealedCredentials)
    {
        if (sealedCredentials is null)
        {
            throw S3SourceErrors.NoCredentials();
        }

        try
        {
            return S3Credentials.FromJson(_secrets.Open(sealedCredentials));
        }
        catch (SecretKeyMismatchException)
        {
            throw S3SourceErrors.KeyMismatch();
        }
        catch (Exception ex) when (ex is SecretDamagedException or System.Text.Json.JsonException)
        {
            throw S3SourceErrors.Damaged();
        }
    }

    private AmazonS3Config Config(Uri endpoint, string host) => new()
    {
        ServiceURL = endpoint.ToString(),
        ForcePathStyle = true,   // S3-compatible servers rarely have a DNS name per bucket
        AuthenticationRegion = RegionOf(host),
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        MaxErrorRetry = 0,       // the job's own retries (with back-off) handle transient faults, as for http sources
        HttpClientFactory = new GuardedHttpClientFactory(_http),
    };

    /// <summary>AWS's regional endpoints name their region (s3.eu-west-1.amazonaws.com); others sign as us-east-1.</summary>
    internal static string RegionOf(string host) =>
        AwsRegionalHost().Match(host) is { Success: true } match ? match.Groups["region"].Value : DefaultRegion;

    [GeneratedRegex(@"\As3[.-](?:dualstack\.)?(?<region>[a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AwsRegionalHost();

    /// <summary>Hands the SDK our guarded client for every connection; the SDK neither caches nor disposes it.</summary>
    private sealed class GuardedHttpClientFactory(HttpClient client) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => client;

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override string GetConfigUniqueString(IClientConfig clientConfig) => "cloudslicer-guarded";
    }
}
