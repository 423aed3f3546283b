using Amazon.S3.Model;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests.S3;

/// <summary>The S3-protocol test server answers the SDK as a real S3 would: a sanity check of the fixture itself.</summary>
public sealed class S3ServerTests
{
    [Fact]
    public async Task An_object_put_through_the_sdk_reads_back_with_a_range()
    {
        var server = await S3Server.SharedAsync();
        var bucket = await server.CreateBucketAsync();
        using var client = server.CreateClient();

        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a/b.txt", ContentBody = "0123456789" });
        using var read = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "a/b.txt", ByteRange = new Amazon.S3.Model.ByteRange(2, 4) });
        using var reader = new StreamReader(read.ResponseStream);

        Assert.Equal("234", await reader.ReadToEndAsync());
    }
}
