using System.Globalization;
using System.Text;
using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// What every <see cref="IBlobStore"/> must do, local disk or object store: blobs read back as written, ranges read
/// exactly the bytes they select (edges, past the end, suffixes, nothing at all), a missing key is null, validators
/// change on overwrite, and a prefix delete takes that prefix only. A backend's test class derives from this and
/// gives a store over a fresh, empty root per test.
/// </summary>
public abstract class BlobStoreContract
{
    private const string Digits = "0123456789";

    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>A fresh, empty store.</summary>
    protected abstract IBlobStore CreateStore();

    [Fact]
    public async Task A_blob_reads_back_whole_with_its_length_and_validators()
    {
        var blobs = CreateStore();
        await blobs.PutAsync("assets/a/master.m3u8", Encoding.UTF8.GetBytes("#EXTM3U\n"), Ct);

        await using var read = await blobs.OpenReadAsync("assets/a/master.m3u8", range: null, Ct);
        Assert.NotNull(read);
        Assert.Equal((0, 8, 8), (read.Offset, read.Count, read.Blob.Length));
        Assert.Equal("#EXTM3U\n", await TextOfAsync(read));
        Assert.Matches("^\"[^\"]+\"$", read.Blob.ETag);
        Assert.Equal(read.Blob, await blobs.GetInfoAsync("assets/a/master.m3u8", Ct));
        Assert.True(await blobs.ExistsAsync("assets/a/master.m3u8", Ct));
    }

    [Fact]
    public async Task Listing_a_folder_gives_every_blob_beneath_it_and_nothing_beside_it()
    {
        var blobs = CreateStore();
        foreach (var key in new[] { "assets/a/v1/a/init.mp4", "assets/a/v1/a/seg_00000.m4s", "assets/a/v1/audio/seg_00000.m4s", "assets/a/v1/poster.jpg", "assets/ab/v1/a/init.mp4" })
        {
            await blobs.PutAsync(key, Encoding.UTF8.GetBytes(key), Ct);
        }

        Assert.Equal(
            ["assets/a/v1/a/init.mp4", "assets/a/v1/a/seg_00000.m4s"],
            (await blobs.ListAsync("assets/a/v1/a/", Ct)).Order(StringComparer.Ordinal));
        Assert.Equal(4, (await blobs.ListAsync("assets/a/", Ct)).Count);
        Assert.Equal(["assets/a/v1/poster.jpg"], await blobs.ListAsync("assets/a/v1/poster.jpg", Ct));
        Assert.Empty(await blobs.ListAsync("assets/c/", Ct));
    }

    [Fact]
    public async Task A_copy_is_a_blob_of_its_own_that_outlives_the_original()
    {
        var blobs = CreateStore();
        await blobs.PutAsync("assets/a/v1/a/seg_00000.m4s", Encoding.UTF8.GetBytes(Digits), Ct);

        await blobs.CopyAsync("assets/a/v1/a/seg_00000.m4s", "assets/b/v1/a/seg_00000.m4s", Ct);
        await blobs.DeletePrefixAsync("assets/a/", Ct);

        await using var read = await blobs.OpenReadAsync("assets/b/v1/a/seg_00000.m4s", range: null, Ct);
        Assert.Equal(Digits, await TextOfAsync(read!));
        Assert.Equal(["assets/b/v1/a/seg_00000.m4s"], await blobs.ListAsync("assets/b/", Ct));
    }

    [Fact]
    public async Task A_missing_key_is_null_whether_read_whole_ranged_or_asked_about()
    {
        var blobs = CreateStore();
        await blobs.PutAsync("assets/a/seg_00000.m4s", Encoding.UTF8.GetBytes(Digits), Ct);

        Assert.Null(await blobs.OpenReadAsync("assets/a/seg_00001.m4s", range: null, Ct));
        Assert.Null(await blobs.OpenReadAsync("assets/a/seg_00001.m4s", BlobRange.Between(0, 1), Ct));
        Assert.Null(await blobs.OpenReadAsync("assets/b/seg_00000.m4s", range: null, Ct));
        Assert.Null(await blobs.GetInfoAsync("assets/a/seg_00001.m4s", Ct));
        Assert.False(await blobs.ExistsAsync("assets/a/seg_00001.m4s", Ct));
    }

    [Theory]
    [InlineData("0-0", 0, "0")]
    [InlineData("0-9", 0, Digits)]
    [InlineData("3-5", 3, "345")]
    [InlineData("9-9", 9, "9")]
    [InlineData("8-10", 8, "89")]              // a last past the end stops at the end
    [InlineData("8-9999999999", 8, "89")]
    [InlineData("0-", 0, Digits)]
    [InlineData("9-", 9, "9")]
    [InlineData("-1", 9, "9")]
    [InlineData("-3", 7, "789")]
    [InlineData("-10", 0, Digits)]
    [InlineData("-11", 0, Digits)]             // a suffix longer than the blob is all of it
    public async Task A_range_reads_exactly_the_bytes_it_selects(string range, long offset, string expected)
    {
        var blobs = CreateStore();
        await blobs.PutAsync("assets/a/seg_00000.m4s", Encoding.UTF8.GetBytes(Digits), Ct);

        await using var read = await blobs.OpenReadAsync("assets/a/seg_00000.m4s", Parse(range), Ct);
        Assert.NotNull(read);
        Assert.Equal((offset, expected.Length, 10), (read.Offset, read.Count, read.Blob.Length));
        Assert.Equal(expected, await TextOfAsync(read));
    }

    [Theory]
    [InlineData("10-10")]
    [InlineData("10-")]
    [InlineData("11-20")]
    [InlineData("-0")]
    public async Task A_range_selecting_nothing_is_an_empty_read_that_still_gives_the_length(string range)
    {
        var blobs = CreateStore();
        await blobs.PutAsync("assets/a/seg_00000.m4s", Encoding.UTF8.GetBytes(Digits), Ct);

        await using var read = await blobs.OpenReadAsync("assets/a/seg_00000.m4s", Parse(range), Ct);
        Assert.NotNull(read);
        Assert.Equal((0, 10), (read.Count, read.Blob.Length));
        Assert.Equal("", await TextOfAsync(read));
    }

    [Fact]
    public async Task An_empty_blob_reads_whole_as_nothing_and_no_range_of_it_selects_anything()
    {
        var blobs = CreateStore();
        await blobs.PutAsync("assets/a/empty.vtt", ReadOnlyMemory<byte>.Empty, Ct);

        await using var whole = await blobs.OpenReadAsync("assets/a/empty.vtt", range: null, Ct);
        Assert.Equal((0, 0), (whole!.Count, whole.Blob.Length));
        foreach (var range in new[] { "0-", "0-0", "-1" })
        {
            await using var read = await blobs.OpenReadAsync("assets/a/empty.vtt", Parse(range), Ct);
            Assert.Equal(0, read!.Count);
        }
    }

    [Fact]
    public async Task A_range_deep_in_a_large_blob_reads_across_buffer_sizes()
    {
        var blobs = CreateStore();
        var content = new byte[(3 * 1024 * 1024) + 7];
        new Random(42).NextBytes(content);
        await blobs.PutAsync("assets/a/init.mp4", content, Ct);

        await using var read = await blobs.OpenReadAsync("assets/a/init.mp4", BlobRange.Between(65_535, (2 * 1024 * 1024) + 3), Ct);
        Assert.Equal(content.AsSpan(65_535, (2 * 1024 * 1024) + 3 - 65_535 + 1).ToArray(), await BytesOfAsync(read!));
    }

    [Fact]
    public async Task A_put_file_is_read_back_as_the_file_was()
    {
        var blobs = CreateStore();
        var local = Path.Combine(Path.GetTempPath(), $"seg-{Guid.NewGuid():N}.m4s");
        await File.WriteAllBytesAsync(local, Encoding.UTF8.GetBytes(Digits), Ct);
        try
        {
            await blobs.PutFileAsync("assets/a/seg_00000.m4s", local, Ct);
        }
        finally
        {
            File.Delete(local);
        }

        await using var read = await blobs.OpenReadAsync("assets/a/seg_00000.m4s", BlobRange.StartingAt(4), Ct);
        Assert.Equal("456789", await TextOfAsync(read!));
    }

    [Fact]
    public async Task An_overwrite_replaces_the_content_and_changes_the_etag_even_at_the_same_length()
    {
        var blobs = CreateStore();
        await blobs.PutAsync("assets/a/index.m3u8", Encoding.UTF8.GetBytes("first"), Ct);
        var before = await blobs.GetInfoAsync("assets/a/index.m3u8", Ct);
        await blobs.PutAsync("assets/a/index.m3u8", Encoding.UTF8.GetBytes("again"), Ct);

        await using var read = await blobs.OpenReadAsync("assets/a/index.m3u8", range: null, Ct);
        Assert.Equal("again", await TextOfAsync(read!));
        Assert.NotEqual(before!.ETag, read!.Blob.ETag);
        Assert.True(read.Blob.LastModified >= before.LastModified);

        var local = Path.Combine(Path.GetTempPath(), $"index-{Guid.NewGuid():N}.m3u8");
        await File.WriteAllTextAsync(local, "third", Ct);
        File.SetLastWriteTimeUtc(local, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));   // made long before
        await blobs.PutFileAsync("assets/a/index.m3u8", local, Ct);
        File.Delete(local);
        var after = await blobs.GetInfoAsync("assets/a/index.m3u8", Ct);
        Assert.NotEqual(read.Blob.ETag, after!.ETag);
        Assert.True(after.LastModified >= read.Blob.LastModified, "a cache validating with If-Modified-Since must see the change");
    }

    [Fact]
    public async Task An_open_read_keeps_reading_what_it_opened_when_the_key_is_overwritten_or_deleted()
    {
        var blobs = CreateStore();
        await blobs.PutAsync("assets/a/seg_00000.m4s", Encoding.UTF8.GetBytes(Digits), Ct);

        await using var read = await blobs.OpenReadAsync("assets/a/seg_00000.m4s", BlobRange.StartingAt(2), Ct);
        await blobs.PutAsync("assets/a/seg_00000.m4s", Encoding.UTF8.GetBytes("abcdefghij"), Ct);
        await blobs.DeletePrefixAsync("assets/a/", Ct);

        Assert.Equal("23456789", await TextOfAsync(read!));
    }

    [Fact]
    public async Task A_prefix_delete_removes_that_prefix_and_nothing_beside_it()
    {
        var blobs = CreateStore();
        foreach (var key in new[] { "assets/x/v1/master.m3u8", "assets/x/v1/a/seg_00000.m4s", "assets/xy/v1/master.m3u8", "assets/y/v1/master.m3u8" })
        {
            await blobs.PutAsync(key, Encoding.UTF8.GetBytes(key), Ct);
        }

        await blobs.DeletePrefixAsync("assets/x/", Ct);
        await blobs.DeletePrefixAsync("assets/never-there/", Ct);

        Assert.Null(await blobs.OpenReadAsync("assets/x/v1/master.m3u8", range: null, Ct));
        Assert.Null(await blobs.GetInfoAsync("assets/x/v1/a/seg_00000.m4s", Ct));
        Assert.True(await blobs.ExistsAsync("assets/xy/v1/master.m3u8", Ct));
        Assert.True(await blobs.ExistsAsync("assets/y/v1/master.m3u8", Ct));
    }

    /// <summary>"a-b", "a-" or "-n", as a Range header writes them.</summary>
    private static BlobRange Parse(string range)
    {
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        long? Number(string text) => text.Length == 0 ? null : long.Parse(text, CultureInfo.InvariantCulture);
        return (Number(range[..dash]), Number(range[(dash + 1)..])) switch
        {
            ({ } first, { } last) => BlobRange.Between(first, last),
            ({ } first, null) => BlobRange.StartingAt(first),
            (null, { } count) => BlobRange.LastBytes(count),
            _ => throw new ArgumentException(range, nameof(range)),
        };
    }

    private static async Task<byte[]> BytesOfAsync(BlobRead read)
    {
        // A store's stream need not be seekable: read it only forwards, as HTTP does.
        using var bytes = new MemoryStream();
        await read.Content.CopyToAsync(bytes, Ct);
        Assert.Equal(read.Count, bytes.Length);
        return bytes.ToArray();
    }

    private static async Task<string> TextOfAsync(BlobRead read) => Encoding.UTF8.GetString(await BytesOfAsync(read));
}
