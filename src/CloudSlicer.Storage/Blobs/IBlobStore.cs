namespace CloudSlicer.Storage.Blobs;

/// <summary>
/// Where assets live: keys are relative paths with '/' separators (e.g. "assets/{id}/a/seg_00001.m4s").
/// Local disk in the one-box shape, S3 when scaled out. Reads name the bytes they want (<see cref="BlobRange"/>)
/// and get exactly those, so no caller needs a seekable stream and an object store answers with one ranged GET.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores a local file under <paramref name="key"/>. The file may be moved: do not use it afterwards.</summary>
    Task PutFileAsync(string key, string localPath, CancellationToken cancellationToken);

    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the bytes <paramref name="range"/> selects (the whole blob when null), or null when the blob does not
    /// exist. A range that selects no byte (it starts at or past the end, or asks for the last 0) opens an empty
    /// read with <see cref="BlobRead.Count"/> 0: the caller answers "not satisfiable" with the length it carries.
    /// </summary>
    Task<BlobRead?> OpenReadAsync(string key, BlobRange? range, CancellationToken cancellationToken);

    /// <summary>The blob's length and validators without its content (a HEAD), or null when it does not exist.</summary>
    Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a copy of blob <paramref name="sourceKey"/> under <paramref name="destinationKey"/>, server side (a
    /// quick clip reuses slices this way, never through the slicer's disk). Throws <see cref="FileNotFoundException"/>
    /// when the source does not exist.
    /// </summary>
    Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken);

    /// <summary>Deletes every blob whose key starts with <paramref name="prefix"/>.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// The keys of every blob whose key starts with <paramref name="prefix"/>, in no particular order (a prefix
    /// ending in '/' names a folder; without it, the one blob of that key). Empty when there are none.
    /// </summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// A URL from which anyone may GET the blob, answered as <paramref name="contentType"/>, for
    /// <paramref name="lifetime"/> (an object store's presigned URL, for a CDN in front of it), or null when the store
    /// has none (local disk): the caller then serves the blob itself. Says nothing of whether the blob exists.
    /// (Null by default, so a wrapping store that does not forward it is served by us, never wrongly redirected.)
    /// </summary>
    Uri? TryGetDirectUrl(string key, string contentType, TimeSpan lifetime) => null;
}
