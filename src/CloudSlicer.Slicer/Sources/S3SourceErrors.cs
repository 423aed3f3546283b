using System.Net;
using Amazon.Runtime;
using CloudSlicer.Core.Jobs.Specs;
using Microsoft.AspNetCore.WebUtilities;

namespace CloudSlicer.Slicer.Sources;

/// <summary>
/// The words of an S3 source's failures, for the job's <c>last_error</c>. They name the source as
/// <c>s3://endpoint/bucket/key</c> (nothing in it is secret) and never the credentials; the S3 server's own error
/// text is not quoted, only its status and error code.
/// </summary>
internal static class S3SourceErrors
{
    public static SourceException KeyMismatch() =>
        new("The source's credentials were encrypted with a key this slicer does not have; configure Secrets:Key the same on every node") { Permanent = true };

    public static SourceException Damaged() =>
        new("The source's stored credentials are damaged (they failed their integrity check); create the job again") { Permanent = true };

    public static SourceException NoCredentials() =>
        new("The s3:// source has no credentials stored with the job; create the job again with api_key and api_secret") { Permanent = true };

    public static SourceException BadLocation() =>
        new("The source is not an s3://endpoint/bucket/key URL; create the job again with a valid one") { Permanent = true };

    public static SourceException Refused(S3SourceLocation location, string reason) =>
        new($"Refused to fetch s3://{location.Endpoint}/{location.Bucket}/…: the S3 endpoint {reason} (start with --allow-private-sources to allow it)") { Permanent = true };

    public static SourceException Status(S3SourceLocation location, HttpStatusCode status, string? errorCode)
    {
        var code = (int)status;
        var head = $"The S3 source answered {code} {ReasonPhrases.GetReasonPhrase(code)}".TrimEnd()
            + (string.IsNullOrEmpty(errorCode) ? "" : $" ({Safe(errorCode)})");
        return new(code switch
        {
            403 or 401 => $"{head}: check api_key/api_secret and the bucket policy",
            404 => $"{head}: check the endpoint, bucket and key of s3://{location.Endpoint}/{location.Bucket}/…",
            >= 500 => $"{head}: the S3 server failed; try again later",
            _ => $"{head}: check the source's URL and credentials",
        })
        {
            // As for http sources: a 4xx will answer the same next time, except a timeout or a "slow down".
            Permanent = code is >= 400 and < 500 and not 408 and not 429,
        };
    }

    /// <summary>
    /// What the SDK (or the guard under it) threw, in the job's words; null for cancellation the caller asked for.
    /// </summary>
    public static Exception? Translate(Exception exception, S3SourceLocation location, Uri endpoint, SourceOptions options, SourceException? limit, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || exception is SourceException || limit is not null)
        {
            return SourceErrors.Translate(exception, endpoint, options, limit, cancellationToken);
        }

        if (Find<AddressRefusedException>(exception) is { } refused)
        {
            return Refused(location, refused.Message);
        }

        if (exception is AmazonServiceException { StatusCode: var status } service && (int)status >= 300 && Find<HttpRequestException>(exception) is null)
        {
            return Status(location, status, service.ErrorCode);
        }

        return SourceErrors.Translate(Find<HttpRequestException>(exception) ?? Find<IOException>(exception) ?? exception, endpoint, options, limit, cancellationToken)
            ?? new SourceException($"The S3 request to {endpoint.IdnHost}:{endpoint.Port} failed ({exception.GetType().Name}); try again", exception);
    }

    // An error code is a short word such as NoSuchKey; anything else is not quoted.
    private static string Safe(string code) =>
        code.Length <= 64 && code.All(char.IsAsciiLetterOrDigit) ? code : "error";

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
}
