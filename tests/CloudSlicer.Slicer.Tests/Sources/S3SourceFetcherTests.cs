using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Slicer.Sources;
using CloudSlicer.Storage.Secrets;
using CloudSlicer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudSlicer.Slicer.Tests.Sources;

/// <summary>
/// Private s3:// sources against a real S3-protocol server (moto_server on loopback, plain http). moto does not check
/// signatures, so wrong credentials cannot be tested here; the guard, the errors and the limits can.
/// </summary>
public sealed class S3SourceFetcherTests : IDisposable
{
    private const string Secret = "s3-source-test-secret-0123456789";
    private readonly TempDirectory _temp = new();
    private readonly SecretBox _box = new(SecretKey.FromBase64(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    public void Dispose() => _temp.Dispose();

    private string Sealed(SecretBox? box = null) => (box ?? _box).Seal(new S3Credentials("s3-source-test-key", Secret).ToJson());

    private SourceFetcher Fetcher(bool allowPrivate = true, Action<SourceOptions>? configure = null, HostResolver? resolve = null)
    {
        var options = new SourceOptions
        {
            AllowPrivateSources = allowPrivate,
            S3PlainHttp = true,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            IdleTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new SourceFetcher(options, NullLogger<SourceFetcher>.Instance, resolve ?? Dns.GetHostAddressesAsync, TimeProvider.System, _box);
    }

    private static async Task<(S3Server Server, string Bucket)> BucketWithAsync(string key, byte[] body)
    {
        var server = await S3Server.SharedAsync();
        var bucket = await server.CreateBucketAsync();
        using var client = server.CreateClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(body) });
        return (server, bucket);
    }

    [Fact]
    public async Task An_s3_object_is_downloaded_whole_with_the_jobs_credentials_and_its_key_taken_literally()
    {
        var body = RandomNumberGenerator.GetBytes(300_000);
        var (server, bucket) = await BucketWithAsync("in/a folder/clip 1+1.mp4", body);
        using var fetcher = Fetcher();
        var progress = new RecordingProgress();
        var destination = _temp.File("source");

        var result = await fetcher.DownloadSourceAsync(
            new Uri($"s3://127.0.0.1:{server.Port}/{bucket}/in/a folder/clip 1+1.mp4"), Sealed(), destination, progress, CancellationToken.None);

        Assert.Equal(body.Length, result.Bytes);
        Assert.Equal(body, await File.ReadAllBytesAsync(destination));
        Assert.Equal(1.0, progress.Values[^1]);
    }

    [Fact]
    public async Task A_missing_object_fails_for_good_with_what_to_check()
    {
        var (server, bucket) = await BucketWithAsync("there.mp4", [1, 2, 3]);
        using var fetcher = Fetcher();
        var destination = _temp.File("source");

        var error = await Assert.ThrowsAsync<SourceException>(() => fetcher.DownloadSourceAsync(
            new Uri($"s3://127.0.0.1:{server.Port}/{bucket}/missing.mp4"), Sealed(), destination, null, CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.StartsWith("The S3 source answered 404 Not Found (NoSuchKey): check the endpoint, bucket and key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task A_source_over_the_size_limit_fails_for_good()
    {
        var (server, bucket) = await BucketWithAsync("big.mp4", new byte[5000]);
        using var fetcher = Fetcher(configure: o => o.MaxBytes = 1000);

        var error = await Assert.ThrowsAsync<SourceException>(() => fetcher.DownloadSourceAsync(
            new Uri($"s3://127.0.0.1:{server.Port}/{bucket}/big.mp4"), Sealed(), _temp.File("source"), null, CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.Contains("larger than the 1 kB limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_loopback_endpoint_is_refused_without_being_dialled()
    {
        await using var canary = CanaryListener.Start();
        using var fetcher = Fetcher(allowPrivate: false);

        var error = await Assert.ThrowsAsync<SourceException>(() => fetcher.DownloadSourceAsync(
            new Uri($"s3://127.0.0.1:{canary.Port}/bucket/clip.mp4"), Sealed(), _temp.File("source"), null, CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.Equal(
            $"Refused to fetch s3://127.0.0.1:{canary.Port}/bucket/…: the S3 endpoint 127.0.0.1 is a loopback address (start with --allow-private-sources to allow it)",
            error.Message);
        Assert.Equal(0, canary.Connections);
    }

    [Fact]
    public async Task An_endpoint_name_that_resolves_to_a_private_address_is_refused_when_the_sdk_connects()
    {
        await using var canary = CanaryListener.Start();
        var asked = 0;
        using var fetcher = Fetcher(allowPrivate: false, resolve: (host, _) =>
        {
            Interlocked.Increment(ref asked);
            return Task.FromResult(host == "s3.media.example" ? new[] { IPAddress.Loopback } : []);
        });

        var error = await Assert.ThrowsAsync<SourceException>(() => fetcher.DownloadSourceAsync(
            new Uri($"s3://s3.media.example:{canary.Port}/bucket/clip.mp4"), Sealed(), _temp.File("source"), null, CancellationToken.None));

        Assert.True(error.Permanent, error.Message);
        Assert.StartsWith($"Refused to fetch s3://s3.media.example:{canary.Port}/bucket/…: the S3 endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
        Assert.True(asked > 0);   // the refusal came from the guard under the SDK, on the resolved address
        Assert.Equal(0, canary.Connections);
    }

    [Fact]
    public async Task Credentials_sealed_by_a_node_with_another_key_fail_the_job_for_good_with_how_to_fix_it()
    {
        var (server, bucket) = await BucketWithAsync("clip.mp4", [1, 2, 3]);
        using var fetcher = Fetcher();
        var otherNode = new SecretBox(SecretKey.FromBase64(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

        var error = await Assert.ThrowsAsync<SourceException>(() => fetcher.DownloadSourceAsync(
            new Uri($"s3://127.0.0.1:{server.Port}/{bucket}/clip.mp4"), Sealed(otherNode), _temp.File("source"), null, CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.Equal(
            "The source's credentials were encrypted with a key this slicer does not have; configure Secrets:Key the same on every node",
            error.Message);
    }

    [Theory]
    [InlineData("s3.eu-west-1.amazonaws.com", "eu-west-1")]
    [InlineData("s3-us-west-2.amazonaws.com", "us-west-2")]
    [InlineData("s3.amazonaws.com", "us-east-1")]
    [InlineData("minio.example", "us-east-1")]
    public void The_signing_region_comes_from_an_aws_regional_endpoint(string host, string region) =>
        Assert.Equal(region, S3SourceFetcher.RegionOf(host));
}
