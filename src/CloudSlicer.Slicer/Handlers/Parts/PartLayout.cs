using System.Globalization;
using CloudSlicer.Media.Hls;
using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Slicer.Handlers.Parts;

/// <summary>
/// Where a split encode keeps what its slicers share in the blob store (the one store every slicer reaches; work
/// directories are per machine). Slices go straight to the new asset's first version; the shared copy of the
/// source and each part's playlists go under <c>parts/{asset}/</c>, which content never serves and the parent
/// removes when its attempt ends.
/// </summary>
public static class PartLayout
{
    public static string Prefix(string asset) => $"parts/{asset}/";

    public static string Source(string asset) => Prefix(asset) + "source";

    public static string Playlist(string asset, int index, string ray) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix(asset)}{index}/{ray}.m3u8");

    public static string Slice(string asset, string ray, string fileName) => AssetLayout.File(asset, 1, $"{ray}/{fileName}");

    public static string Init(string asset, string ray) => Slice(asset, ray, HlsOutput.InitName);
}
