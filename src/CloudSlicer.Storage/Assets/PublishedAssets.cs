using System.Collections.Concurrent;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Storage.Assets;

/// <summary>
/// Which version of an asset content serving should read (and which earlier version holds each file it shares),
/// from the asset record (never from the blob store),
/// remembered for a moment so a player's stream of slice requests costs one record read, not one each.
/// Deletes and version switches in this process forget the entry at once. Another process's (a slicer process, or
/// another API node) are seen at once where it matters: a master or manifest is read from a fresh record
/// (<see cref="RefreshAsync"/>), and a file the remembered version does not know of re-reads it
/// (<see cref="CurrentAsync(string, string, CancellationToken)"/>), so a track, caption or export a job just added
/// is served by every node as soon as the job is done; the rest within <see cref="Freshness"/>. Absent assets are
/// not remembered, so a new asset plays as soon as it is published.
/// </summary>
public sealed class PublishedAssets(IAssetStore assets, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);

    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (PublishedVersion Version, long At)> _versions = new(StringComparer.Ordinal);

    /// <summary>The published version of <paramref name="asset"/>, or null when no live asset has that id.</summary>
    public async ValueTask<int?> VersionAsync(string asset, CancellationToken cancellationToken) =>
        (await CurrentAsync(asset, cancellationToken).ConfigureAwait(false))?.Version;

    /// <summary>The published version of <paramref name="asset"/> and where its files are, or null when no live asset has that id.</summary>
    public async ValueTask<PublishedVersion?> CurrentAsync(string asset, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue(asset, out var known) && clock.GetElapsedTime(known.At) < Freshness)
        {
            return known.Version;
        }

        var record = await assets.FindPublishedAsync(asset, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            _versions.TryRemove(asset, out _);
            return null;
        }

        if (_versions.Count >= MaxEntries)
        {
            _versions.Clear();   // crude, but bounded; the next requests refill what is in use
        }

        var version = PublishedVersion.Of(record);
        _versions[asset] = (version, clock.GetTimestamp());
        return version;
    }

    /// <summary>
    /// The version that serves <paramref name="path"/>: the remembered one when it knows the path's top-level name,
    /// else a fresh read of the record (a version published since, by another process, that added the name).
    /// </summary>
    public async ValueTask<PublishedVersion?> CurrentAsync(string asset, string path, CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(asset, cancellationToken).ConfigureAwait(false);
        return current is null || current.Knows(path) ? current : await RefreshAsync(asset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The published version read from the record now, whatever is remembered (and remembered from now).</summary>
    public ValueTask<PublishedVersion?> RefreshAsync(string asset, CancellationToken cancellationToken)
    {
        Forget(asset);
        return CurrentAsync(asset, cancellationToken);
    }

    public void Forget(string asset) => _versions.TryRemove(asset, out _);
}

/// <summary>
/// A published version of an asset: the blob key of each of its files, wherever an earlier version stored it. A
/// name the version no longer uses but the previous one did (a replaced caption track) still resolves to the
/// previous version's files, which stay until the next version is published, so a player that loaded the previous
/// master before the switch plays on.
/// </summary>
public sealed record PublishedVersion(
    string Asset, int Version, string Folder, IReadOnlyDictionary<string, string> Locations, IReadOnlySet<string> OwnNames, IReadOnlyDictionary<string, string> Retired)
{
    public string Master => AssetLayout.File(Asset, Folder, AssetLayout.MasterName);

    public static PublishedVersion Of(AssetManifest record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var own = record.StoredNames().Select(n => n.Name).Where(name => !record.Locations.ContainsKey(name)).ToHashSet(StringComparer.Ordinal);
        var retired = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in record.Superseded)
        {
            // "v2-1a2b3c4d/sub0/" or "v1/export.mp4": the folder, then the top-level name.
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            var name = slash < 0 ? "" : AssetManifest.TopName(entry[(slash + 1)..]);
            if (name.Length > 0 && name is not AssetLayout.MasterName and not AssetLayout.ManifestName && !own.Contains(name))
            {
                retired.TryAdd(name, entry[..slash]);
            }
        }

        return new PublishedVersion(record.Id, record.Version, record.OwnFolder, record.Locations, own, retired);
    }

    /// <summary>Whether this version stores, shares or still serves a file under the top-level name of <paramref name="path"/>.</summary>
    public bool Knows(string path)
    {
        var name = AssetManifest.TopName(path);
        return OwnNames.Contains(name) || Locations.ContainsKey(name) || Retired.ContainsKey(name);
    }

    /// <param name="path">A path inside the asset, e.g. <c>a/seg_00001.m4s</c>.</param>
    public string Key(string path)
    {
        var name = AssetManifest.TopName(path);
        var folder = Locations.TryGetValue(name, out var shared) ? shared
            : !OwnNames.Contains(name) && Retired.TryGetValue(name, out var retired) ? retired
            : Folder;
        return AssetLayout.File(Asset, folder, path);
    }
}
