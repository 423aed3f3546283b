using Amazon.Runtime;
using Amazon.S3;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Blobs.S3;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests.S3;

/// <summary>
/// The blob contract on a real S3-protocol server (moto), a fresh bucket per test class and a fresh prefix per
/// store; then what only an object store does: multipart uploads, server-side copies, deletes of more keys than
/// one DeleteObjects takes, presigned URLs, and keys S3 cannot hold.
/// </summary>
public sealed class S3BlobStoreTests : BlobStoreContract, IAsyncLifetime
{
    private S3Server _server = null!;
    private string _bucket = null!;
    private AmazonS3Client _client = null!;

    public async Task InitializeAsync()
    {
        _server = await S3Server.SharedAsync();
        _bucket = await _server.CreateBucketAsync();
        _client = S3Clients.Create(Location(), new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey));
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    protected override IBlobStore CreateStore() => Store(Location());

    [Fact]
    public async Task A_file_above_the_multipart_threshold_goes_up_in_parts_and_reads_back_byte_identical()
    {
        var location = Location();
        var blobs = Store(location, new S3BlobStoreOptions { MultipartThreshold = 5 * 1024 * 1024, PartSize = 5 * 1024 * 1024 });
        var content = new byte[(11 * 1024 * 1024) + 3];
        new Random(7).NextBytes(content);
        var local = Path.Combine(Path.GetTempPath(), $"rendition-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(local, content);

        await blobs.PutFileAsync("assets/a/v1/export.mp4", local, default);

        Assert.False(File.Exists(local), "the store takes the file, as the disk store moves it");
        // A multipart object's ETag is the digest of its parts' digests followed by their count: 3 parts of 5 MiB.
        var head = await _client.GetObjectMetadataAsync(_bucket, location.ObjectKey("assets/a/v1/export.mp4"));
        Assert.EndsWith("-3\"", head.ETag, StringComparison.Ordinal);
        await using var read = await blobs.OpenReadAsync("assets/a/v1/export.mp4", range: null, default);
        using var bytes = new MemoryStream();
        await read!.Content.CopyToAsync(bytes);
        Assert.Equal(content, bytes.ToArray());
    }

    [Fact]
    public async Task A_file_below_the_threshold_is_one_put()
    {
        var location = Location();
        var blobs = Store(location);
        var local = Path.Combine(Path.GetTempPath(), $"seg-{Guid.NewGuid():N}.m4s");
        await File.WriteAllBytesAsync(local, new byte[100_000]);

        await blobs.PutFileAsync("assets/a/v1/a/seg_00000.m4s", local, default);

        var head = await _client.GetObjectMetadataAsync(_bucket, location.ObjectKey("assets/a/v1/a/seg_00000.m4s"));
        Assert.DoesNotContain("-", head.ETag, StringComparison.Ordinal);
        Assert.Equal(100_000, head.ContentLength);
    }

    [Fact]
    public async Task A_copy_is_made_by_the_server_under_the_location_prefix_and_a_missing_source_is_file_not_found()
    {
        var location = Location();
        var blobs = Store(location);
        await blobs.PutAsync("assets/a/v1/a/seg_00000.m4s", "0123456789"u8.ToArray(), default);

        await blobs.CopyAsync("assets/a/v1/a/seg_00000.m4s", "assets/b/v1/a/seg_00000.m4s", default);

        using var copied = await _client.GetObjectAsync(_bucket, location.ObjectKey("assets/b/v1/a/seg_00000.m4s"));
        using var reader = new StreamReader(copied.ResponseStream);
        Assert.Equal("0123456789", await reader.ReadToEndAsync());
        await Assert.ThrowsAsync<FileNotFoundException>(() => blobs.CopyAsync("assets/a/v1/a/seg_00001.m4s", "assets/b/v1/a/seg_00001.m4s", default));
    }

    [Fact]
    public async Task A_prefix_delete_takes_more_keys_than_one_delete_call_holds_and_nothing_beside_them()
    {
        var location = Location();
        var blobs = Store(location);
        await Parallel.ForEachAsync(Enumerable.Range(0, 1203), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await blobs.PutAsync($"assets/big/v1/a/seg_{i:00000}.m4s", new byte[1], ct));
        await blobs.PutAsync("assets/big2/v1/master.m3u8", new byte[1], default);

        Assert.Equal(1203, (await blobs.ListAsync("assets/big/", default)).Count);
        await blobs.DeletePrefixAsync("assets/big/", default);

        Assert.Empty(await blobs.ListAsync("assets/big/", default));
        Assert.True(await blobs.ExistsAsync("assets/big2/v1/master.m3u8", default));
    }

    [Fact]
    public async Task Stores_under_different_prefixes_of_one_bucket_never_see_each_others_blobs()
    {
        var first = Store(Location());
        var second = Store(Location());
        await first.PutAsync("assets/a/v1/master.m3u8", "#EXTM3U\n"u8.ToArray(), default);

        Assert.False(await second.ExistsAsync("assets/a/v1/master.m3u8", default));
        Assert.Empty(await second.ListAsync("assets/", default));
        Assert.Equal(["assets/a/v1/master.m3u8"], await first.ListAsync("assets/", default));
    }

    [Fact]
    public async Task A_presigned_url_downloads_the_blob_and_asks_for_its_content_type()
    {
        var blobs = Store(Location());
        await blobs.PutAsync("assets/a/v1/a/seg_00000.m4s", "0123456789"u8.ToArray(), default);

        var url = blobs.TryGetDirectUrl("assets/a/v1/a/seg_00000.m4s", "video/iso.segment", TimeSpan.FromMinutes(5));

        Assert.NotNull(url);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(S3Server.SecretKey, url.ToString(), StringComparison.Ordinal);
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        response.EnsureSuccessStatusCode();
        Assert.Equal("0123456789", await response.Content.ReadAsStringAsync());
        // S3 answers with the type the URL asks for (moto ignores the override, so the URL is what is checked).
        Assert.Contains("response-content-type=video%2Fiso.segment", url.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../outside")]
    [InlineData("assets//a")]
    [InlineData("/etc/passwd")]
    [InlineData("assets\\a")]
    public async Task Keys_the_disk_store_refuses_are_refused_here_too(string key)
    {
        var blobs = Store(Location());

        await Assert.ThrowsAsync<ArgumentException>(() => blobs.PutAsync(key, new byte[1], default));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.OpenReadAsync(key, range: null, default));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.GetInfoAsync(key, default));
    }

    [Fact]
    public async Task A_key_too_long_for_s3_is_simply_absent_when_read()
    {
        var blobs = Store(Location());
        var key = "assets/d/" + new string('n', 1100) + ".m4s";

        Assert.Null(await blobs.OpenReadAsync(key, range: null, default));
        Assert.Null(await blobs.GetInfoAsync(key, default));
        Assert.False(await blobs.ExistsAsync(key, default));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.PutAsync(key, new byte[1], default));
    }

    private S3Location Location() => S3Location.Parse(_server.BlobsUri(_bucket, $"p{Guid.NewGuid():N}"));

    private S3BlobStore Store(S3Location location, S3BlobStoreOptions? options = null) =>
        new(_client, location, TimeProvider.System, options);
}
