using CloudSlicer.Core.Assets;

namespace CloudSlicer.Storage.Blobs;

/// <summary>
/// Where an asset's files live in the blob store, the one place that spells their names. Each version has its
/// own prefix, <c>assets/{asset}/v{n}/</c>, so a new version is stored beside the one being served and the
/// asset record's switch to it is the single step that publishes it. Inside a version the names are the
/// content URLs' (<c>a/index.m3u8</c>, <c>poster.jpg</c>); <c>master.m3u8</c> and <c>asset.json</c> (the
/// manifest, for recovery; never served) are written last.
/// </summary>
public static class AssetLayout
{
    public const string MasterName = "master.m3u8";

    public const string ManifestName = "asset.json";

    /// <summary>Every version of the asset: deleting this deletes the asset's files.</summary>
    public static string Prefix(string asset) => $"assets/{asset}/";

    /// <summary>A version's own folder (<see cref="AssetManifest.OwnFolder"/>): deleting it deletes only what that version stored.</summary>
    public static string FolderPrefix(string asset, string folder) => $"assets/{asset}/{folder}/";

    public static string VersionPrefix(string asset, int version) => FolderPrefix(asset, AssetManifest.FolderName(version));

    public static string File(string asset, string folder, string relativePath) => FolderPrefix(asset, folder) + relativePath;

    /// <summary>A file of version <paramref name="version"/> of an asset whose folders are plain (a new asset: <c>v1</c>).</summary>
    public static string File(string asset, int version, string relativePath) => VersionPrefix(asset, version) + relativePath;

    public static string Master(string asset, int version) => File(asset, version, MasterName);

    public static string Manifest(string asset, int version) => File(asset, version, ManifestName);

    /// <summary>The key of a version's own file (the master, the manifest, what its job made).</summary>
    public static string OwnFile(AssetManifest manifest, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return File(manifest.Id, manifest.OwnFolder, relativePath);
    }

    /// <summary>The key of a file of a version that may share it with an earlier one (see <see cref="AssetManifest.Locations"/>).</summary>
    public static string File(AssetManifest manifest, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return File(manifest.Id, manifest.FolderOf(relativePath), relativePath);
    }
}
