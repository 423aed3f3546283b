using System.IO.Pipelines;
using CloudSlicer.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CloudSlicer.Api.Content;

/// <summary>
/// The answers <see cref="BlobResponses"/> gives about a blob. Each carries the blob's validators and
/// <c>Accept-Ranges</c>, and a Content-Length that is exactly the body sent (none on a 304).
/// </summary>
internal sealed class BlobResult : IResult
{
    private readonly BlobInfo _blob;
    private readonly int _status;
    private readonly string? _contentType;
    private readonly BlobRead? _read;

    private BlobResult(BlobInfo blob, int status, string? contentType, BlobRead? read)
    {
        _blob = blob;
        _status = status;
        _contentType = contentType;
        _read = read;
    }

    public static BlobResult Whole(BlobRead read, string contentType) => new(read.Blob, StatusCodes.Status200OK, contentType, read);

    public static BlobResult Partial(BlobRead read, string contentType) => new(read.Blob, StatusCodes.Status206PartialContent, contentType, read);

    public static BlobResult Head(BlobInfo blob, string contentType) => new(blob, StatusCodes.Status200OK, contentType, null);

    public static BlobResult NotModified(BlobInfo blob) => new(blob, StatusCodes.Status304NotModified, null, null);

    public static BlobResult Unsatisfiable(BlobInfo blob) => new(blob, StatusCodes.Status416RangeNotSatisfiable, null, null);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = _status;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = _blob.ETag;
        response.GetTypedHeaders().LastModified = _blob.LastModified;
        if (_contentType is not null)
        {
            response.ContentType = _contentType;
        }

        switch (_status)
        {
            case StatusCodes.Status206PartialContent:
                response.GetTypedHeaders().ContentRange = new ContentRangeHeaderValue(_read!.Offset, _read.Offset + _read.Count - 1, _blob.Length);
                response.ContentLength = _read.Count;
                break;
            case StatusCodes.Status416RangeNotSatisfiable:
                response.GetTypedHeaders().ContentRange = new ContentRangeHeaderValue(_blob.Length);
                response.ContentLength = 0;
                break;
            case StatusCodes.Status200OK:
                response.ContentLength = _blob.Length;
                break;
        }

        if (_read is null)
        {
            return;
        }

        await using (_read.ConfigureAwait(false))
        {
            try
            {
                await _read.Content.CopyToAsync(response.BodyWriter, httpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
            {
                // The player went away (it seeked, or closed the tab): nothing to report.
                httpContext.Abort();
            }
        }
    }
}
