namespace CloudSlicer.Storage.Blobs;

/// <summary>
/// An open read: <paramref name="Content"/> yields exactly <paramref name="Count"/> bytes, those at
/// <paramref name="Offset"/> onwards of the blob <paramref name="Blob"/> describes. It need not be seekable.
/// </summary>
public sealed record BlobRead(Stream Content, BlobInfo Blob, long Offset, long Count) : IDisposable, IAsyncDisposable
{
    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
