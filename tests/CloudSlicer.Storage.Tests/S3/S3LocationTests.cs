using CloudSlicer.Storage.Blobs.S3;

namespace CloudSlicer.Storage.Tests.S3;

/// <summary><c>--blobs s3://…</c>: what it accepts, and errors that say what to fix without repeating the value.</summary>
public sealed class S3LocationTests
{
    [Fact]
    public void A_bucket_prefix_endpoint_and_region_are_read_and_an_endpoint_means_path_style()
    {
        var location = S3Location.Parse("s3://assets/cloudslicer?endpoint=https://s3.example.net&region=eu-west-1");

        Assert.Equal(("assets", "cloudslicer/", "https://s3.example.net/", "eu-west-1", true),
            (location.Bucket, location.Prefix, location.Endpoint!.ToString(), location.Region, location.PathStyle));
        Assert.Equal("cloudslicer/assets/a/master.m3u8", location.ObjectKey("assets/a/master.m3u8"));
    }

    [Theory]
    [InlineData("s3://assets", "")]
    [InlineData("s3://assets/", "")]
    [InlineData("s3://assets/a/b/", "a/b/")]
    [InlineData("S3://my.assets-1/a%20b", "a b/")]
    public void Without_an_endpoint_it_is_aws_itself_and_the_prefix_is_a_folder(string blobs, string prefix)
    {
        var location = S3Location.Parse(blobs);

        Assert.Equal((prefix, null, null, false), (location.Prefix, location.Endpoint, location.Region, location.PathStyle));
        Assert.True(S3Location.IsS3(blobs));
    }

    [Fact]
    public void An_escaped_endpoint_with_a_port_is_accepted()
    {
        var location = S3Location.Parse("s3://bucket/p?endpoint=http%3A%2F%2F127.0.0.1%3A9000%2F");

        Assert.Equal(new Uri("http://127.0.0.1:9000/"), location.Endpoint);
    }

    [Theory]
    [InlineData("/data/blobs", "must start with s3://")]
    [InlineData("s3://", "names no bucket")]
    [InlineData("s3:///prefix", "names no bucket")]
    [InlineData("s3://Assets/p", "bucket name")]
    [InlineData("s3://a/p", "bucket name")]
    [InlineData("s3://assets_1/p", "bucket name")]
    [InlineData("s3://assets/a/../b", "prefix")]
    [InlineData("s3://assets/a//b", "prefix")]
    [InlineData("s3://AKIAKEY:hunter2secret@assets/p", "AWS chain")]
    [InlineData("s3://assets/p?endpoint=ftp://hunter2secret.example", "endpoint must be an absolute http")]
    [InlineData("s3://assets/p?endpoint=hunter2secret", "endpoint must be an absolute http")]
    [InlineData("s3://assets/p?endpoint=https://key:hunter2secret@s3.example.net", "AWS chain")]
    [InlineData("s3://assets/p?endpoint=https://s3.example.net/hunter2secret", "no path or query")]
    [InlineData("s3://assets/p?endpoint=https%3A%2F%2Fs3.example.net%3Ftoken%3Dhunter2secret", "no path or query")]
    [InlineData("s3://assets/p?region=EU_hunter2secret", "region")]
    [InlineData("s3://assets/p?secret_key=hunter2secret", "'secret_key' is not one of its settings")]
    [InlineData("s3://assets/p?region=eu-west-1&region=eu-west-2", "given twice")]
    [InlineData("s3://assets/p#hunter2secret", "'#'")]
    public void A_malformed_value_says_what_is_wrong_and_never_repeats_a_secret(string blobs, string says)
    {
        var error = Assert.Throws<FormatException>(() => S3Location.Parse(blobs));

        Assert.StartsWith("--blobs is not a usable S3 location: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
