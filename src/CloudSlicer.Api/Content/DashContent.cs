using System.Text;
using CloudSlicer.Media;
using CloudSlicer.Media.Dash;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Api.Content;

/// <summary>
/// <c>/{asset}.mpd</c>: the asset as DASH, an MPD over the same CMAF slices its HLS playlists list (served by
/// <see cref="ContentApi"/> beneath <c>/{asset}/</c>). Built on request from the current version's stored master,
/// playlists and init segments, and kept in a small cache keyed by asset and version: the asset record answers
/// whether the asset exists (a deleted asset is 404 at once), and a new version gets a new MPD.
/// </summary>
public static class DashContent
{
    private const string ContentType = "application/dash+xml";
    private const string AssetRoute = "{asset:regex(^[0-9a-f]{{32}}$)}";

    public static void MapDash(this IEndpointRouteBuilder routes)
    {
        var content = routes.MapGroup("").RequireCors(ContentApi.CorsPolicy).AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.AccessControlAllowOrigin = "*";
            return await next(context).ConfigureAwait(false);
        });
        content.MapMethods($"/{AssetRoute}.mpd", [HttpMethods.Get, HttpMethods.Head], MpdAsync);
    }

    private static async Task<IResult> MpdAsync(
        string asset, PublishedAssets published, IBlobStore blobs, IOptions<MediaOptions> media, DashManifestCache cache, CancellationToken cancellationToken)
    {
        if (await published.RefreshAsync(asset, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return Results.NotFound();
        }

        var key = (asset, current.Version);
        if (!cache.Entries.TryGetValue(key, out string? mpd) || mpd is null)
        {
            try
            {
                var master = await ReadAsync(blobs, current.Master, cancellationToken).ConfigureAwait(false);
                if (master is null)
                {
                    return Results.NotFound();
                }

                mpd = await HlsAssetReader.BuildMpdAsync(
                    Encoding.UTF8.GetString(master), $"{asset}/", media.Value.AudioKbps * 1000L,
                    (path, ct) => ReadAsync(blobs, current.Key(path), ct),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (MediaException)
            {
                // A master this server did not write (or a half-removed asset): nothing DASH can describe.
                return Results.NotFound();
            }

            cache.Entries.Set(key, mpd, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        }

        return Results.Text(mpd, ContentType, Encoding.UTF8);
    }

    private static async Task<byte[]?> ReadAsync(IBlobStore blobs, string key, CancellationToken cancellationToken)
    {
        using var blob = await blobs.OpenReadAsync(key, range: null, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        using var bytes = new MemoryStream();
        await blob.Content.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes.ToArray();
    }
}

/// <summary>
/// Built MPDs by (asset, version), one per app rather than a static, so two servers in one process (tests)
/// never share entries. Entries are a few KB; 256 of them are the assets being watched right now on a busy box.
/// </summary>
public sealed class DashManifestCache : IDisposable
{
    public MemoryCache Entries { get; } = new(new MemoryCacheOptions { SizeLimit = 256 });

    public void Dispose() => Entries.Dispose();
}
