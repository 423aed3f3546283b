namespace CloudSlicer.Storage.Libraries;

/// <summary>
/// Libraries in the job store, owner-isolated. A caller sees its own libraries and those shared with it; any
/// other library is simply not found. Only a library's owner changes it, and only with the owner's own live
/// assets. A deleted asset leaves every library at once (readers see live assets only) and its membership rows
/// go when its record is purged.
/// </summary>
public interface ILibraryStore
{
    /// <summary>A new empty library of <paramref name="owner"/>; null when the owner already has <see cref="LibraryLimits.MaxLibrariesPerOwner"/>.</summary>
    Task<Library?> CreateAsync(string owner, string desc, CancellationToken cancellationToken);

    /// <summary>The caller's own libraries and those shared with it, oldest first.</summary>
    Task<IReadOnlyList<Library>> ListAsync(string caller, CancellationToken cancellationToken);

    /// <summary>The library when the caller owns it or it is shared with the caller; null otherwise.</summary>
    Task<Library?> GetAsync(string caller, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the caller's live assets to the caller's library (already there: no change). Ids that name no live
    /// asset of the caller are returned in <see cref="LibraryOutcome.Changed.Missing"/>, the rest are added.
    /// </summary>
    Task<LibraryOutcome> AddAssetsAsync(string caller, string id, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken);

    /// <summary>Removes assets from the caller's library; ids not in it are returned in <see cref="LibraryOutcome.Changed.Missing"/>.</summary>
    Task<LibraryOutcome> RemoveAssetsAsync(string caller, string id, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken);

    /// <summary>Shares the caller's library with an existing owner (again, or with the caller itself: no change).</summary>
    Task<LibraryOutcome> ShareAsync(string caller, string id, string owner, CancellationToken cancellationToken);

    /// <summary>Stops sharing the caller's library with an owner (not shared with it: no change).</summary>
    Task<LibraryOutcome> UnshareAsync(string caller, string id, string owner, CancellationToken cancellationToken);

    /// <summary>Deletes the caller's library (the assets stay); false when the caller owns no such library.</summary>
    Task<bool> DeleteAsync(string caller, string id, CancellationToken cancellationToken);

    /// <summary>
    /// The rule for copies: the asset is live and the caller owns it, or it is in a library the caller owns or
    /// that is shared with the caller.
    /// </summary>
    Task<bool> CanReadAsync(string caller, string assetId, CancellationToken cancellationToken);

    /// <summary>For each of the owner's assets among <paramref name="assetIds"/> that is in libraries, the ids of those libraries.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> LibrariesOfAsync(string owner, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken);

    /// <summary>
    /// The Slicebot <c>libraries</c> setting: adds the owner's live asset to each of the owner's libraries named by
    /// id or desc (exact). A desc that names none of the owner's libraries creates one with it; an id (32 hex)
    /// that names none is skipped. Returns the ids of the libraries the asset is now in because of this call,
    /// and the entries that matched nothing.
    /// </summary>
    Task<LibraryJoin> JoinAsync(string owner, string assetId, IReadOnlyList<string> libraries, CancellationToken cancellationToken);
}

/// <summary>What <see cref="ILibraryStore.JoinAsync"/> did: the libraries joined, and the entries that named no library of the owner.</summary>
public sealed record LibraryJoin(IReadOnlyList<string> Joined, IReadOnlyList<string> Unmatched);
