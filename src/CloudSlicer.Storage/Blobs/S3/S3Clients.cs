using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace CloudSlicer.Storage.Blobs.S3;

/// <summary>
/// The S3 client for a location: credentials from the AWS chain (environment, profile, instance role), path-style
/// addressing for an endpoint, checksums only where a request requires them (S3-compatible servers reject or
/// mishandle the newer default ones), and the SDK's standard retry mode for a blip — longer outages are
/// <see cref="S3Retry"/>'s.
/// </summary>
public static class S3Clients
{
    /// <summary>The SDK's own attempts per call after the first (standard mode: jittered back-off, throttling and 5xx).</summary>
    public const int SdkRetries = 3;

    /// <param name="credentials">Null in a deployment (the AWS chain); tests pass their server's keys.</param>
    public static AmazonS3Client Create(S3Location location, AWSCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = SdkRetries,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (location.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = location.Region ?? "us-east-1";
        }
        else if (location.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }
}
