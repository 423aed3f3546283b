using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// Private S3 sources through the real <c>cloudslicer serve</c> and a real S3-protocol server (moto_server on
/// loopback, hence --allow-private-sources and Sources:S3PlainHttp): the job slices and plays, and its secret is
/// never shown, never logged, and gone from the database once the job has ended.
/// </summary>
public sealed class S3SourceTests : IAsyncLifetime
{
    private const string ApiKey = "AKIAS3SOURCETESTKEY0";
    private readonly string _secret = $"S3src/{Guid.NewGuid():N}+secret";
    private readonly TempDirectory _data = new();
    private S3Server _s3 = null!;
    private string _bucket = null!;

    public async Task InitializeAsync()
    {
        _s3 = await S3Server.SharedAsync();
        _bucket = await _s3.CreateBucketAsync();
        var clip = Path.Combine(_data.Path, "clip.mp4");
        Directory.CreateDirectory(_data.Path);
        await MediaClips.GenerateAsync(clip, new MediaClipSpec { Duration = TimeSpan.FromSeconds(6), Width = 320, Height = 180 });
        using var client = _s3.CreateClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "media/clip one.mp4", FilePath = clip });
    }

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    private object Source(string key, string? endpoint = null) => new
    {
        url = $"s3://{endpoint ?? $"127.0.0.1:{_s3.Port}"}/{_bucket}/{key}",
        api_key = ApiKey,
        api_secret = _secret,
    };

    [Fact]
    public async Task A_private_s3_source_is_sliced_and_plays_and_its_secret_is_never_shown_logged_or_kept()
    {
        var dataDirectory = Path.Combine(_data.Path, "server");
        await using var server = await ServerProcess.StartAsync(dataDirectory, new Dictionary<string, string>
        {
            ["CLOUDSLICER_Sources__S3PlainHttp"] = "true",
            ["Logging__LogLevel__Default"] = "Debug",   // the most a log could ever say
        });
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client = new Api2Client(http, server.Owner!, server.Secret!);

        var created = await client.CallAsync("/api2/cloudslicer/jobs/create", new { source = Source("media/clip one.mp4") });
        Assert.True(created["error"]!.GetValue<int>() == 0, created.ToJsonString());
        var id = created["job"]!["id"]!.GetValue<string>();
        var (job, _) = await client.WaitFinishedAsync(id, TimeSpan.FromMinutes(3));

        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        var asset = job["asset"]!.GetValue<string>();
        Assert.InRange(await Media.ProbeDurationAsync($"{server.Url}/{asset}.m3u8"), 5.5, 6.5);
        Assert.Contains("video", await Media.ProbeStreamTypesAsync($"{server.Url}/{asset}.m3u8"));

        var listed = await client.CallAsync("/api2/cloudslicer/jobs/list");
        foreach (var shown in new[] { created.ToJsonString(), job.ToJsonString(), listed.ToJsonString() })
        {
            Assert.DoesNotContain(_secret, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKey, shown, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(_secret, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, server.Output, StringComparison.Ordinal);
        await server.StopAsync();
        foreach (var file in Directory.GetFiles(dataDirectory, "cloudslicer.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(Contains(bytes, _secret), $"{Path.GetFileName(file)} holds the secret");
            Assert.False(Contains(bytes, "\"credentials\":\"v1."), $"{Path.GetFileName(file)} still holds the sealed credentials");
        }
    }

    [Fact]
    public async Task A_missing_object_errors_at_once_with_what_to_check_and_the_sealed_secret_is_erased()
    {
        var dataDirectory = Path.Combine(_data.Path, "server");
        await using var server = await ServerProcess.StartAsync(dataDirectory, new Dictionary<string, string> { ["CLOUDSLICER_Sources__S3PlainHttp"] = "true" });
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client = new Api2Client(http, server.Owner!, server.Secret!);

        var created = await client.CallAsync("/api2/cloudslicer/jobs/create", new { source = Source("media/missing.mp4") });
        var (job, _) = await client.WaitFinishedAsync(created["job"]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(2));

        Assert.Equal(("error", 1), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        Assert.StartsWith("The S3 source answered 404 Not Found (NoSuchKey): check the endpoint, bucket and key", job["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(_secret, job.ToJsonString(), StringComparison.Ordinal);
        await server.StopAsync();
        Assert.All(Directory.GetFiles(dataDirectory, "cloudslicer.db*"), file => Assert.False(Contains(File.ReadAllBytes(file), "\"credentials\":\"v1.")));
    }

    [Fact]
    public async Task An_s3_endpoint_on_a_private_address_is_refused_without_being_dialled()
    {
        await using var canary = CanaryListener.Start();
        await using var server = await ServerProcess.StartAsync(Path.Combine(_data.Path, "guarded"), null, allowPrivateSources: false);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client = new Api2Client(http, server.Owner!, server.Secret!);

        var created = await client.CallAsync("/api2/cloudslicer/jobs/create", new { source = Source("media/clip one.mp4", $"127.0.0.1:{canary.Port}") });
        var (job, _) = await client.WaitFinishedAsync(created["job"]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(2));

        Assert.Equal(("error", 1), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        Assert.StartsWith($"Refused to fetch s3://127.0.0.1:{canary.Port}/", job["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, canary.Connections);
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
