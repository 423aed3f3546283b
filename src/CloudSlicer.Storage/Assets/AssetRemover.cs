using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Storage.Assets;

/// <summary>
/// Deletes assets in the order that never shows half of one: the record becomes a tombstone (content answers
/// 404 at once), then the blobs go, then the tombstone. A crash in between leaves a tombstone that
/// <see cref="FinishPendingAsync"/> (run by maintenance) completes.
/// </summary>
public sealed class AssetRemover(IAssetStore assets, IBlobStore blobs, PublishedAssets published)
{
    /// <summary>Deletes the owner's asset; returns it, or null when the owner has no such live asset.</summary>
    public async Task<AssetManifest?> DeleteAsync(string owner, string id, CancellationToken cancellationToken)
    {
        var deleted = await assets.MarkDeletedAsync(owner, id, cancellationToken).ConfigureAwait(false);
        if (deleted is not null)
        {
            await RemoveBlobsAsync(deleted.Id, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>Removes the blobs and record of assets already made tombstones (replaced, expired).</summary>
    public async Task RemoveAsync(IEnumerable<AssetManifest> tombstones, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tombstones);
        foreach (var asset in tombstones)
        {
            await RemoveBlobsAsync(asset.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Expires what is due and finishes interrupted deletes; returns the ids of the assets removed.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(int max, CancellationToken cancellationToken)
    {
        var expired = await assets.ExpireDueAsync(max, cancellationToken).ConfigureAwait(false);
        var pending = await assets.ListDeletedAsync(max, cancellationToken).ConfigureAwait(false);
        var ids = expired.Select(a => a.Id).Union(pending.Select(a => a.Id)).ToList();
        foreach (var id in ids)
        {
            await RemoveBlobsAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return ids;
    }

    private async Task RemoveBlobsAsync(string id, CancellationToken cancellationToken)
    {
        published.Forget(id);
        await blobs.DeletePrefixAsync(AssetLayout.Prefix(id), cancellationToken).ConfigureAwait(false);
        await assets.PurgeAsync(id, cancellationToken).ConfigureAwait(false);
    }
}
