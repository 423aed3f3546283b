namespace CloudSlicer.Storage.Blobs;

/// <summary>
/// What a store knows about a blob besides its bytes. <paramref name="ETag"/> is a strong HTTP entity tag, quoted
/// (<c>"…"</c>), that changes whenever the content under the key does; <paramref name="LastModified"/> never moves
/// backwards when a key is overwritten through the store.
/// </summary>
public sealed record BlobInfo(long Length, string ETag, DateTimeOffset LastModified);
