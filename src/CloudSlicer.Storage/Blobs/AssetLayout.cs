namespace CloudSlicer.Storage.Blobs;

/// <summary>
/// Where an asset's files live in the blob store. The master playlist is written last: its presence is
/// what makes an asset visible, so a crash mid-store never exposes half an asset.
/// </summary>
public static class AssetLayout
{
    public static string Prefix(string asset) => $"assets/{asset}/";

    public static string Master(string asset) => $"assets/{asset}/master.m3u8";

    public static string File(string asset, string relativePath) => $"assets/{asset}/{relativePath}";
}
