using CloudSlicer.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace CloudSlicer.Api.Content;

/// <summary>
/// HTTP for one blob, done here rather than by <c>Results.Stream</c> (which seeks): conditional requests in the
/// order RFC 9110 §13.2.2 gives them, then one range (§14) that the blob store reads as asked, so a store with no
/// seekable file (S3) answers a range with one ranged GET. A HEAD or a 304 reads the blob's validators only.
/// </summary>
internal static class BlobResponses
{
    public static async Task<IResult> ServeAsync(
        HttpContext http, IBlobStore blobs, TimeProvider clock, string key, string contentType, CancellationToken cancellationToken)
    {
        var request = http.Request.GetTypedHeaders();
        var head = HttpMethods.IsHead(http.Request.Method);
        if (head || HasPreconditions(request))
        {
            if (await blobs.GetInfoAsync(key, cancellationToken).ConfigureAwait(false) is not { } blob)
            {
                return Results.NotFound();
            }

            if (Precondition(request, blob, clock.GetUtcNow()) is { } answer)
            {
                return answer;
            }

            if (head)
            {
                return BlobResult.Head(blob, contentType);
            }
        }

        // A range on a HEAD means nothing (RFC 9110 §14.2 defines it for GET), so a HEAD never gets here.
        var range = RequestedRange(request);
        var read = await blobs.OpenReadAsync(key, range, cancellationToken).ConfigureAwait(false);
        if (read is not null && range is not null && !IfRangeHolds(request, read.Blob))
        {
            // The client's copy is not this blob: it gets the whole of it rather than a piece to splice into the wrong one.
            await read.DisposeAsync().ConfigureAwait(false);
            range = null;
            read = await blobs.OpenReadAsync(key, range, cancellationToken).ConfigureAwait(false);
        }

        if (read is null)
        {
            return Results.NotFound();
        }

        http.Response.RegisterForDisposeAsync(read);
        return range is null ? BlobResult.Whole(read, contentType)
            : read.Count == 0 ? BlobResult.Unsatisfiable(read.Blob)
            : BlobResult.Partial(read, contentType);
    }

    private static bool HasPreconditions(RequestHeaders request) =>
        request.IfMatch.Count > 0 || request.IfUnmodifiedSince is not null || request.IfNoneMatch.Count > 0 || request.IfModifiedSince is not null;

    /// <summary>412 or 304 when a condition says so (§13.2.2 steps 1–4), else null: serve the blob.</summary>
    private static IResult? Precondition(RequestHeaders request, BlobInfo blob, DateTimeOffset now)
    {
        var etag = new EntityTagHeaderValue(blob.ETag);
        var lastModified = WholeSeconds(blob.LastModified);
        if (request.IfMatch.Count > 0
            ? !request.IfMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: true))
            : request.IfUnmodifiedSince is { } unmodifiedSince && lastModified > unmodifiedSince)
        {
            return Results.StatusCode(StatusCodes.Status412PreconditionFailed);
        }

        return (request.IfNoneMatch.Count > 0
            ? request.IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false))
            : request.IfModifiedSince is { } modifiedSince && modifiedSince <= now && lastModified <= modifiedSince)   // a date ahead of ours is invalid (§13.1.3)
            ? BlobResult.NotModified(blob)
            : null;
    }

    /// <summary>
    /// The one byte range asked for, or null for the whole blob: no Range, one in a unit other than bytes, an invalid
    /// one (ignored, §14.2), or several — a server may answer those with the whole representation, and players ask
    /// for one.
    /// </summary>
    private static BlobRange? RequestedRange(RequestHeaders request)
    {
        if (request.Range is not { Ranges.Count: 1 } header || !header.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return header.Ranges.Single() switch
        {
            { From: { } first, To: { } last } when first <= last => BlobRange.Between(first, last),
            { From: { } first, To: null } => BlobRange.StartingAt(first),
            { From: null, To: { } count } => BlobRange.LastBytes(count),
            _ => null,
        };
    }

    /// <summary>If-Range (§13.1.5): the range stands only if the client's validator is this blob's, strongly.</summary>
    private static bool IfRangeHolds(RequestHeaders request, BlobInfo blob) => request.IfRange switch
    {
        null => true,
        { EntityTag: { } tag } => tag.Compare(new EntityTagHeaderValue(blob.ETag), useStrongComparison: true),
        { LastModified: { } date } => date == WholeSeconds(blob.LastModified),
        _ => false,
    };

    /// <summary>HTTP dates have whole seconds; a file time has more, which must not make it look newer than itself.</summary>
    private static DateTimeOffset WholeSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
