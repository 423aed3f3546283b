using CloudSlicer.Core.Assets;

namespace CloudSlicer.Storage.Assets;

/// <summary>
/// Asset records. A record is written only after every file of its version is stored, so it is the switch
/// that publishes an asset (or a new version of one). Owner-facing reads take the caller's owner id: another
/// owner's asset is simply not found. A deleted asset is a tombstone until its blobs are gone
/// (<see cref="AssetRemover"/>); no reader sees a tombstone.
/// </summary>
public interface IAssetStore
{
    /// <summary>
    /// Version 1 inserts the record; version n &gt; 1 replaces the media of a record still at version n - 1
    /// (one conditional statement: the previous version is served until it succeeds). With
    /// <paramref name="replaceExternalId"/>, live assets holding the manifest's external id become tombstones
    /// in the same transaction and are returned in <see cref="PublishOutcome.Published.Replaced"/>.
    /// The store sets <c>Created</c> and <c>Expires</c> from its clock.
    /// </summary>
    Task<PublishOutcome> PublishAsync(AssetManifest manifest, bool replaceExternalId, CancellationToken cancellationToken);

    Task<AssetManifest?> GetAsync(string owner, string id, CancellationToken cancellationToken);

    Task<AssetManifest?> GetByExternalIdAsync(string owner, string externalId, CancellationToken cancellationToken);

    /// <summary>The live assets among <paramref name="ids"/> (ids or external ids), in no particular order.</summary>
    Task<IReadOnlyList<AssetManifest>> GetManyAsync(string owner, IReadOnlyCollection<string> ids, bool byExternalId, CancellationToken cancellationToken);

    /// <summary>A live asset whoever owns it: for content serving, which is public by asset id.</summary>
    Task<AssetManifest?> FindPublishedAsync(string id, CancellationToken cancellationToken);

    /// <summary>The owner's live assets, newest first; <paramref name="search"/> matches desc or external id (case-insensitive substring).</summary>
    Task<IReadOnlyList<AssetManifest>> ListAsync(string owner, int limit, int skip, string? search, CancellationToken cancellationToken);

    Task<UpdateOutcome> UpdateAsync(string owner, string id, AssetUpdate update, CancellationToken cancellationToken);

    /// <summary>Makes a live asset a tombstone (content and API stop seeing it at once); returns it, or null when not found.</summary>
    Task<AssetManifest?> MarkDeletedAsync(string owner, string id, CancellationToken cancellationToken);

    /// <summary>Makes every live asset whose autoexpire time has passed a tombstone; returns them (at most <paramref name="max"/>).</summary>
    Task<IReadOnlyList<AssetManifest>> ExpireDueAsync(int max, CancellationToken cancellationToken);

    /// <summary>Tombstones whose blobs may not be removed yet (a crash between the two steps), oldest first.</summary>
    Task<IReadOnlyList<AssetManifest>> ListDeletedAsync(int max, CancellationToken cancellationToken);

    /// <summary>Removes a tombstone once its blobs are gone. A live record is never purged.</summary>
    Task PurgeAsync(string id, CancellationToken cancellationToken);
}

/// <summary>What an update changes; null members stay as they are. <see cref="Meta"/> adds or overwrites keys.</summary>
public sealed record AssetUpdate(string? Desc = null, IReadOnlyDictionary<string, AssetMetaValue>? Meta = null, string? ExternalId = null);

public abstract record PublishOutcome
{
    private PublishOutcome()
    {
    }

    /// <summary>The record now shows the version; <paramref name="Replaced"/> are tombstones of assets that held its external id.</summary>
    public sealed record Published(AssetManifest Asset, IReadOnlyList<AssetManifest> Replaced) : PublishOutcome;

    /// <summary>Another live asset of the owner holds the external id (and replacement was not asked for).</summary>
    public sealed record ExternalIdTaken(string OtherAsset) : PublishOutcome;

    /// <summary>The record is not at the version before this one (deleted, or another job published first).</summary>
    public sealed record VersionConflict : PublishOutcome;
}

public abstract record UpdateOutcome
{
    private UpdateOutcome()
    {
    }

    public sealed record Updated(AssetManifest Asset) : UpdateOutcome;

    public sealed record NotFound : UpdateOutcome;

    public sealed record ExternalIdTaken(string OtherAsset) : UpdateOutcome;
}
