using System.Text;
using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Storage.Tests;

public sealed class LocalDiskBlobStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cloudslicer-blobs-{Guid.NewGuid():N}");
    private readonly LocalDiskBlobStore _blobs;

    public LocalDiskBlobStoreTests() => _blobs = new LocalDiskBlobStore(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Put_then_read_back_with_length_and_a_seekable_stream()
    {
        await _blobs.PutAsync("assets/a/master.m3u8", Encoding.UTF8.GetBytes("#EXTM3U\n"), default);
        using var read = await _blobs.OpenReadAsync("assets/a/master.m3u8", default);
        Assert.NotNull(read);
        Assert.Equal(8, read.Length);
        Assert.True(read.Content.CanSeek);
        read.Content.Seek(1, SeekOrigin.Begin);
        Assert.Equal("EXTM3U\n", await new StreamReader(read.Content).ReadToEndAsync());
        Assert.True(await _blobs.ExistsAsync("assets/a/master.m3u8", default));
        Assert.Null(await _blobs.OpenReadAsync("assets/a/missing.m4s", default));
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
        await Assert.ThrowsAsync<ArgumentException>(() => _blobs.OpenReadAsync(key, default));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "outside")));
    }

    [Fact]
    public async Task A_directory_is_not_a_blob()
    {
        await _blobs.PutAsync("assets/c/a/index.m3u8", Encoding.UTF8.GetBytes("#EXTM3U\n"), default);

        Assert.Null(await _blobs.OpenReadAsync("assets/c/a", default));
        Assert.False(await _blobs.ExistsAsync("assets/c/a", default));
    }

    [Theory]
    [InlineData(300, 1)]      // one name longer than NAME_MAX
    [InlineData(200, 30)]     // a path longer than PATH_MAX
    public async Task A_key_the_file_system_cannot_name_is_simply_absent(int nameLength, int depth)
    {
        var key = "assets/d/" + string.Join('/', Enumerable.Repeat(new string('n', nameLength), depth)) + ".m4s";

        Assert.Null(await _blobs.OpenReadAsync(key, default));
        Assert.False(await _blobs.ExistsAsync(key, default));
    }
}
