using CloudSlicer.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CloudSlicer.Api.Content;

/// <summary>
/// Serves published assets: <c>/{asset}.m3u8</c> (the master) and everything beneath <c>/{asset}/</c>,
/// with range requests and open CORS so any web player can use them.
/// </summary>
public static class ContentApi
{
    public const string CorsPolicy = "content";

    private const string AssetRoute = "{asset:regex(^[0-9a-f]{{32}}$)}";

    public static void MapContent(this IEndpointRouteBuilder routes)
    {
        // ACAO on every response, not only on requests with an Origin header: a CDN may cache a response
        // fetched without Origin and serve it to a browser that sent one.
        var content = routes.MapGroup("").RequireCors(CorsPolicy).AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.AccessControlAllowOrigin = "*";
            return await next(context).ConfigureAwait(false);
        });
        content.MapMethods($"/{AssetRoute}.m3u8", [HttpMethods.Get, HttpMethods.Head], Master);
        content.MapMethods($"/{AssetRoute}/{{**path}}", [HttpMethods.Get, HttpMethods.Head], File);
    }

    private static Task<IResult> Master(string asset, IBlobStore blobs, CancellationToken cancellationToken) =>
        ServeAsync(blobs, AssetLayout.Master(asset), "application/vnd.apple.mpegurl", cancellationToken);

    private static async Task<IResult> File(string asset, string path, IBlobStore blobs, CancellationToken cancellationToken)
    {
        if (path.Split('/').Any(part => part is "" or "." or "..") || path.Contains('\\', StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        // Only a published asset (its master stored last) serves files.
        if (!await blobs.ExistsAsync(AssetLayout.Master(asset), cancellationToken).ConfigureAwait(false))
        {
            return Results.NotFound();
        }

        return await ServeAsync(blobs, AssetLayout.File(asset, path), ContentTypes.For(path), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> ServeAsync(IBlobStore blobs, string key, string contentType, CancellationToken cancellationToken)
    {
        var blob = await blobs.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        return blob is null
            ? Results.NotFound()
            : Results.Stream(blob.Content, contentType, lastModified: blob.LastModified, enableRangeProcessing: true);
    }
}
