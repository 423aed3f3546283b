using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;

namespace CloudSlicer.Api.Hosting;

/// <summary>
/// Absolute URLs handed out in API responses, built on <c>PublicUrl</c> (<c>--public-url</c>) or, by
/// default, the first address the server listens on (read once it is bound, so port 0 works too).
/// </summary>
public sealed class PublicUrls(IConfiguration configuration, IServer server)
{
    private string? _base;

    public string Base => _base ??= (configuration["PublicUrl"] is { Length: > 0 } configured
        ? configured
        : server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:8080").TrimEnd('/');

    /// <summary>The asset's master playlist, as players load it.</summary>
    public string Playback(string asset) => $"{Base}/{asset}.m3u8";

    public string Poster(string asset) => $"{Base}/{asset}/poster.jpg";

    /// <summary>The MP4 of the asset's export (<c>hd_exported_url</c>).</summary>
    public string Export(string asset) => $"{Base}/{asset}/{Core.Assets.AssetExport.FileName}";
}
