using System.Buffers;
using CloudSlicer.Core;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Api.Content;

/// <summary>
/// Serves published assets: <c>/{asset}.m3u8</c> (the master) and the media files beneath <c>/{asset}/</c>,
/// with range and conditional requests (<see cref="BlobResponses"/>) and open CORS so any web player can use them; <c>/ext/{owner}/{external_id}.m3u8</c>
/// redirects to the master of the owner's asset with that external id. Whether an asset exists, and which
/// version to read, comes from its record (<see cref="PublishedAssets"/>). Unauthenticated, so it answers only
/// names the slicer writes (<see cref="IsServable"/>) with a media extension (<see cref="ContentTypes"/>);
/// everything else, directories and metadata included, is a plain 404.
/// </summary>
public static class ContentApi
{
    public const string CorsPolicy = "content";

    private const string AssetRoute = "{asset:regex(^[0-9a-f]{{32}}$)}";

    // The slicer's own names are short ("a/seg_00042.m4s"); these bounds leave room for later kinds and stay far
    // below what a file system refuses (255-byte names, 4096-byte paths), so no name reaches it that could throw.
    private const int MaxSegmentLength = 128;
    private const int MaxSegments = 8;

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

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
        content.MapMethods("/ext/{owner}/{externalId}.m3u8", [HttpMethods.Get, HttpMethods.Head],
            (string owner, string externalId, IAssetStore assets, CancellationToken ct) => ByExternalIdAsync(owner, externalId, ".m3u8", assets, ct));
        content.MapMethods("/ext/{owner}/{externalId}.mpd", [HttpMethods.Get, HttpMethods.Head],
            (string owner, string externalId, IAssetStore assets, CancellationToken ct) => ByExternalIdAsync(owner, externalId, ".mpd", assets, ct));
    }

    /// <summary>
    /// True for a relative path of at most <see cref="MaxSegments"/> names, each of letters, digits, '.', '_' and
    /// '-', not starting with '.', and at most <see cref="MaxSegmentLength"/> long. No encoding of a separator,
    /// a parent, NUL or a drive survives this, whatever decoding came before.
    /// </summary>
    public static bool IsServable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        return segments.Length <= MaxSegments && segments.All(segment =>
            segment.Length is > 0 and <= MaxSegmentLength
            && segment[0] != '.'
            && !segment.AsSpan().ContainsAnyExcept(NameCharacters));
    }

    private static async Task<IResult> Master(
        string asset, HttpContext http, PublishedAssets published, IBlobStore blobs, TimeProvider clock, CancellationToken cancellationToken) =>
        // A fresh record: a player starts here, and must see a version another process published a moment ago.
        await published.RefreshAsync(asset, cancellationToken).ConfigureAwait(false) is { } version
            ? await BlobResponses.ServeAsync(http, blobs, clock, version.Master, "application/vnd.apple.mpegurl", cancellationToken).ConfigureAwait(false)
            : Results.NotFound();

    private static async Task<IResult> File(
        string asset, string path, HttpContext http, PublishedAssets published, IBlobStore blobs, TimeProvider clock,
        IOptions<ContentOptions> options, CancellationToken cancellationToken)
    {
        if (!IsServable(path) || !ContentTypes.TryGet(path, out var contentType))
        {
            return Results.NotFound();
        }

        // Only a published asset (its record written after every file) serves files, from its current version.
        // A file the version shares with an earlier one is read where that version stored it.
        if (await published.CurrentAsync(asset, path, cancellationToken).ConfigureAwait(false) is not { } version)
        {
            return Results.NotFound();
        }

        return DirectUrl(http, blobs, options.Value, version.Key(path), path, contentType) is { } direct
            ? direct
            : await BlobResponses.ServeAsync(http, blobs, clock, version.Key(path), contentType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The presigned redirect (<see cref="ContentOptions.PresignedRedirectSeconds"/>) for a GET of a media file, or
    /// null to serve it here: a playlist or manifest (its relative URIs name this server), a HEAD, a store without URLs.
    /// The redirect may be cached for half the URL's life, so a cached one always leaves time to follow it.
    /// </summary>
    private static CachedRedirect? DirectUrl(HttpContext http, IBlobStore blobs, ContentOptions options, string key, string path, string contentType)
    {
        if (options.PresignedRedirectSeconds <= 0 || !HttpMethods.IsGet(http.Request.Method)
            || path.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".mpd", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var lifetime = TimeSpan.FromSeconds(options.PresignedRedirectSeconds);
        return blobs.TryGetDirectUrl(key, contentType, lifetime) is { } url ? new CachedRedirect(url, lifetime / 2) : null;
    }

    /// <summary>
    /// A redirect rather than the master itself: the master's URIs are relative to <c>/{asset}.m3u8</c>, and an
    /// <c>auto_replace</c> may move the external id to another asset, so the answer is not cached.
    /// </summary>
    private static async Task<IResult> ByExternalIdAsync(string owner, string externalId, string extension, IAssetStore assets, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(owner) || externalId.Length is 0 or > Core.Assets.AssetSettings.MaxExternalIdLength)
        {
            return Results.NotFound();
        }

        var asset = await assets.GetByExternalIdAsync(owner, externalId, cancellationToken).ConfigureAwait(false);
        return asset is null ? Results.NotFound() : new NoStoreRedirect($"/{asset.Id}{extension}");
    }

    private sealed class CachedRedirect(Uri location, TimeSpan maxAge) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"public, max-age={(long)maxAge.TotalSeconds}");
            return Results.Redirect(location.AbsoluteUri).ExecuteAsync(httpContext);
        }
    }

    private sealed class NoStoreRedirect(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = "no-store";
            return Results.Redirect(location).ExecuteAsync(httpContext);
        }
    }
}
