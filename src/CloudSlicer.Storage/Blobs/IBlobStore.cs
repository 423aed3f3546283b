namespace CloudSlicer.Storage.Blobs;

/// <summary>
/// Where assets live: keys are relative paths with '/' separators (e.g. "assets/{id}/a/seg_00001.m4s").
/// Local disk in the one-box shape, S3 when scaled out.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores a local file under <paramref name="key"/>. The file may be moved: do not use it afterwards.</summary>
    Task PutFileAsync(string key, string localPath, CancellationToken cancellationToken);

    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading (seekable, for range requests), or null when it does not exist.</summary>
    Task<BlobRead?> OpenReadAsync(string key, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a copy of blob <paramref name="sourceKey"/> under <paramref name="destinationKey"/>, server side (a
    /// quick clip reuses slices this way, never through the slicer's disk). Throws <see cref="FileNotFoundException"/>
    /// when the source does not exist.
    /// </summary>
    Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken);

    /// <summary>Deletes every blob whose key starts with <paramref name="prefix"/>.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);
}

public sealed record BlobRead(Stream Content, long Length, DateTimeOffset LastModified) : IDisposable
{
    public void Dispose() => Content.Dispose();
}
