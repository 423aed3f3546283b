using System.Collections.Concurrent;

namespace CloudSlicer.Storage.Assets;

/// <summary>
/// Which version of an asset content serving should read, from the asset record (never from the blob store),
/// remembered for a moment so a player's stream of slice requests costs one record read, not one each.
/// Deletes and version switches in this process forget the entry at once; another process's are seen
/// within <see cref="Freshness"/>. Absent assets are not remembered, so a new asset plays as soon as it is published.
/// </summary>
public sealed class PublishedAssets(IAssetStore assets, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);

    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (int Version, long At)> _versions = new(StringComparer.Ordinal);

    /// <summary>The published version of <paramref name="asset"/>, or null when no live asset has that id.</summary>
    public async ValueTask<int?> VersionAsync(string asset, CancellationToken cancellationToken)
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

        _versions[asset] = (record.Version, clock.GetTimestamp());
        return record.Version;
    }

    public void Forget(string asset) => _versions.TryRemove(asset, out _);
}
