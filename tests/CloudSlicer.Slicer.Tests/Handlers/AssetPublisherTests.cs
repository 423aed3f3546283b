using CloudSlicer.Slicer.Handlers;
using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Slicer.Tests.Handlers;

public sealed class AssetPublisherTests : IDisposable
{
    private const string Asset = "0123456789abcdef0123456789abcdef";
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cloudslicer-publish-{Guid.NewGuid():N}");
    private readonly RecordingBlobStore _blobs;
    private readonly AssetPublisher _publisher;

    public AssetPublisherTests()
    {
        _blobs = new RecordingBlobStore(new LocalDiskBlobStore(Path.Combine(_root, "blobs")));
        _publisher = new AssetPublisher(_blobs);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Encoded()
    {
        var dir = Path.Combine(_root, "out");
        Directory.CreateDirectory(Path.Combine(dir, "a"));
        File.WriteAllText(Path.Combine(dir, "a", "index.m3u8"), "#EXTM3U\n");
        File.WriteAllBytes(Path.Combine(dir, "a", "init.mp4"), new byte[10]);
        File.WriteAllBytes(Path.Combine(dir, "a", "seg_00000.m4s"), new byte[100]);
        File.WriteAllBytes(Path.Combine(dir, "poster.jpg"), new byte[5]);
        return dir;
    }

    [Fact]
    public async Task Every_file_is_stored_and_the_master_comes_last()
    {
        await _publisher.PublishAsync(Asset, Encoded(), [("asset.json", "{}"), ("master.m3u8", "#EXTM3U\n")], default);

        foreach (var file in new[] { "a/index.m3u8", "a/init.mp4", "a/seg_00000.m4s", "poster.jpg", "asset.json", "master.m3u8" })
        {
            Assert.True(await _blobs.ExistsAsync(AssetLayout.File(Asset, file), default), file);
        }

        Assert.Equal(6, _blobs.Puts.Count);
        Assert.Equal([AssetLayout.File(Asset, "asset.json"), AssetLayout.Master(Asset)], _blobs.Puts.TakeLast(2));
    }

    [Fact]
    public async Task A_failure_part_way_removes_what_was_stored_and_no_master_is_left()
    {
        // A directory where asset.json should go makes that write fail after the slices were stored.
        Directory.CreateDirectory(Path.Combine(_root, "blobs", "assets", Asset, "asset.json", "x"));
        await Assert.ThrowsAnyAsync<Exception>(() =>
            _publisher.PublishAsync(Asset, Encoded(), [("asset.json", "{}"), ("master.m3u8", "#EXTM3U\n")], default));

        Assert.False(await _blobs.ExistsAsync(AssetLayout.Master(Asset), default));
        Assert.False(Directory.Exists(Path.Combine(_root, "blobs", "assets", Asset)));
    }

    [Fact]
    public async Task A_cancel_while_storing_removes_what_was_stored()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _publisher.PublishAsync(Asset, Encoded(), [("asset.json", "{}"), ("master.m3u8", "#EXTM3U\n")], cancelled.Token));
        Assert.False(Directory.Exists(Path.Combine(_root, "blobs", "assets", Asset)));
    }
}

/// <summary>The real local-disk store, recording the order in which keys were stored.</summary>
internal sealed class RecordingBlobStore(IBlobStore inner) : IBlobStore
{
    private readonly List<string> _puts = [];

    public IReadOnlyList<string> Puts
    {
        get
        {
            lock (_puts)
            {
                return _puts.ToList();
            }
        }
    }

    public async Task PutFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        await inner.PutFileAsync(key, localPath, cancellationToken);
        Record(key);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await inner.PutAsync(key, content, cancellationToken);
        Record(key);
    }

    public Task<BlobRead?> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => inner.ExistsAsync(key, cancellationToken);

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken) => inner.DeletePrefixAsync(prefix, cancellationToken);

    private void Record(string key)
    {
        lock (_puts)
        {
            _puts.Add(key);
        }
    }
}
