using Amazon.Runtime;
using CloudSlicer.Storage.Blobs.S3;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests.S3;

/// <summary>
/// The store outlasts an S3 server that goes away: a call made while it is down is retried with back-off and
/// succeeds once it is back within the retry budget, and fails as a transient <see cref="BlobStoreUnavailableException"/>
/// naming the bucket (not the endpoint) when it stays away longer. A real moto server of the test's own, stopped and
/// started again; the back-off runs on a test clock, so the outage lasts exactly as long as the test says.
/// </summary>
public sealed class S3OutageTests
{
    [Fact]
    public async Task A_write_during_an_outage_succeeds_once_the_server_is_back_within_the_budget()
    {
        await using var server = await S3Server.StartAsync();
        var bucket = await server.CreateBucketAsync();
        var clock = new FakeTimeProvider { ControlsTimers = true };
        var (blobs, client) = Store(server, bucket, clock, TimeSpan.FromSeconds(60));
        using var _ = client;

        server.Stop();
        var put = blobs.PutAsync("assets/a/v1/master.m3u8", "#EXTM3U\n"u8.ToArray(), default);
        await Eventually.UntilAsync(() => Task.FromResult(clock.ActiveTimers), n => n > 0, TimeSpan.FromSeconds(60), "the store to back off after a refused connection");
        Assert.False(put.IsCompleted);

        await server.StartServerAsync();
        await RecreateBucketAsync(server, bucket);    // moto keeps nothing across a restart
        while (!put.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(5));   // at least the longest back-off
            await Task.WhenAny(put, Eventually.UntilAsync(() => Task.FromResult(clock.ActiveTimers > 0 || put.IsCompleted), done => done, TimeSpan.FromSeconds(60), "the next attempt"));
        }

        await put;
        await using var read = await blobs.OpenReadAsync("assets/a/v1/master.m3u8", range: null, default);
        using var reader = new StreamReader(read!.Content);
        Assert.Equal("#EXTM3U\n", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task An_outage_longer_than_the_budget_fails_as_transient_naming_the_bucket_not_the_endpoint()
    {
        await using var server = await S3Server.StartAsync();
        var bucket = await server.CreateBucketAsync();
        var clock = new FakeTimeProvider { ControlsTimers = true };
        var (blobs, client) = Store(server, bucket, clock, TimeSpan.FromSeconds(5));
        using var _ = client;

        server.Stop();
        var read = blobs.GetInfoAsync("assets/a/v1/master.m3u8", default);
        while (!read.IsCompleted)
        {
            await Task.WhenAny(read, Eventually.UntilAsync(() => Task.FromResult(clock.ActiveTimers > 0 || read.IsCompleted), done => done, TimeSpan.FromSeconds(60), "the next attempt"));
            clock.Advance(TimeSpan.FromSeconds(5));   // at least the longest back-off
        }

        var error = await Assert.ThrowsAsync<BlobStoreUnavailableException>(() => read);
        Assert.IsAssignableFrom<IOException>(error);
        Assert.Contains($"S3 bucket '{bucket}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no connection", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", error.Message, StringComparison.Ordinal);
    }

    private static (S3BlobStore Blobs, IDisposable Client) Store(S3Server server, string bucket, TimeProvider clock, TimeSpan budget)
    {
        var location = S3Location.Parse(server.BlobsUri(bucket));
        var client = S3Clients.Create(location, new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey));
        return (new S3BlobStore(client, location, clock, new S3BlobStoreOptions { RetryBudget = budget }), client);
    }

    private static async Task RecreateBucketAsync(S3Server server, string bucket)
    {
        using var client = server.CreateClient();
        await client.PutBucketAsync(bucket);
    }
}
