using System.Text;
using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Storage.Tests;

/// <summary>The blob contract on local disk, and what only a file system can get wrong: keys that climb out of the root, directories, names too long to hold.</summary>
public sealed class LocalDiskBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cloudslicer-blobs-{Guid.NewGuid():N}");
    private readonly LocalDiskBlobStore _blobs;

    public LocalDiskBlobStoreTests() => _blobs = new LocalDiskBlobStore(_root);

    protected override IBlobStore CreateStore() => new LocalDiskBlobStore(Path.Combine(_root, Guid.NewGuid().ToString("N")));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Put_file_moves_it_into_place_and_delete_prefix_removes_the_asset()
    {
        var local = Path.Combine(Path.GetTempPath(), $"seg-{Guid.NewGuid():N}.m4s");
        await File.WriteAllBytesAsync(local, new byte[1000]);
        await _blobs.PutFileAsync("assets/b/a/seg_00000.m4s", local, default);
        Assert.False(File.Exists(local));
        Assert.True(await _blobs.ExistsAsync("assets/b/a/seg_00000.m4s", default));

        await _blobs.DeletePrefixAsync("assets/b/", default);
        Assert.False(await _blobs.ExistsAsync("assets/b/a/seg_00000.m4s", default));
        await _blobs.DeletePrefixAsync("assets/never-there/", default);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../outside")]
    [InlineData("assets/../../etc/passwd")]
    [InlineData("assets/./a")]
    [InlineData("assets//a")]
    [InlineData("/etc/passwd")]
    [InlineData("assets\\a")]
    [InlineData("assets/a\0b")]
    public async Task Keys_that_could_leave_the_root_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _blobs.PutAsync(key, new byte[1], default));
        await Assert.ThrowsAsync<ArgumentException>(() => _blobs.OpenReadAsync(key, range: null, default));
        await Assert.ThrowsAsync<ArgumentException>(() => _blobs.GetInfoAsync(key, default));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "outside")));
    }

    [Fact]
    public async Task A_directory_is_not_a_blob()
    {
        await _blobs.PutAsync("assets/c/a/index.m3u8", Encoding.UTF8.GetBytes("#EXTM3U\n"), default);

        Assert.Null(await _blobs.OpenReadAsync("assets/c/a", range: null, default));
        Assert.Null(await _blobs.GetInfoAsync("assets/c/a", default));
        Assert.False(await _blobs.ExistsAsync("assets/c/a", default));
    }

    [Theory]
    [InlineData(300, 1)]      // one name longer than NAME_MAX
    [InlineData(200, 30)]     // a path longer than PATH_MAX
    public async Task A_key_the_file_system_cannot_name_is_simply_absent(int nameLength, int depth)
    {
        var key = "assets/d/" + string.Join('/', Enumerable.Repeat(new string('n', nameLength), depth)) + ".m4s";

        Assert.Null(await _blobs.OpenReadAsync(key, range: null, default));
        Assert.Null(await _blobs.OpenReadAsync(key, BlobRange.StartingAt(0), default));
        Assert.Null(await _blobs.GetInfoAsync(key, default));
        Assert.False(await _blobs.ExistsAsync(key, default));
    }
}
