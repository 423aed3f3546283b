using System.Text;
using System.Text.Json.Nodes;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Testing;

namespace CloudSlicer.Api.Tests.Jobs;

/// <summary>
/// <c>/jobs/create</c> with a private S3 source (<c>s3://endpoint/bucket/key</c> plus <c>api_key</c>/<c>api_secret</c>):
/// checked at the door, echoed without the secret, and stored with the credentials sealed, never in the clear.
/// </summary>
public sealed class S3SourceRequestTests : IAsyncLifetime
{
    private const string Key = "AKIAIOSFODNN7EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Url = "s3://s3.eu-west-1.amazonaws.com/videos/nature.mp4";
    private ApiServer _server = null!;
    private Api2Client _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        _client = await _server.NewOwnerClientAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_seeds_s3_source_is_accepted_and_echoed_with_the_key_masked_and_without_the_secret()
    {
        var created = await _client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = Url, api_key = Key, api_secret = Secret } });
        Assert.True(created["error"]!.GetValue<int>() == 0, created.ToJsonString());
        var id = created["job"]!["id"]!.GetValue<string>();

        Assert.Equal("""{"url":"s3://s3.eu-west-1.amazonaws.com/videos/nature.mp4","api_key":"****************MPLE"}""", created["job"]!["source"]!.ToJsonString());
        var got = await _client.CallAsync("/api2/cloudslicer/jobs/get", new { id });
        var listed = await _client.CallAsync("/api2/cloudslicer/jobs/list");
        foreach (var answer in new[] { created, got, listed })
        {
            Assert.DoesNotContain(Secret, answer.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Key, answer.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("api_secret", answer.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Equal(created["job"]!["source"]!.ToJsonString(), got["job"]!["source"]!.ToJsonString());
    }

    [Fact]
    public async Task The_credentials_are_stored_sealed_and_never_in_the_clear()
    {
        var created = await _client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = Url, api_key = Key, api_secret = Secret } });
        var id = created["job"]!["id"]!.GetValue<string>();

        var stored = (await _server.Service<IJobQueue>().GetAsync(_client.Owner, id, default))!;
        var spec = JsonNode.Parse(stored.SecretsJson!)!;
        Assert.Equal(Url, spec["url"]!.GetValue<string>());
        Assert.StartsWith("v1.", spec["credentials"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stored.SecretsJson!, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, stored.SecretsJson!, StringComparison.Ordinal);

        // Not in any file of the database either (the WAL holds the newest writes).
        foreach (var file in Directory.GetFiles(_server.DataDirectory, "cloudslicer.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(Contains(bytes, Secret), $"{Path.GetFileName(file)} holds the secret");
            Assert.False(Contains(bytes, Key), $"{Path.GetFileName(file)} holds the access key");
        }
    }

    [Theory]
    [InlineData("s3://", "no S3 endpoint")]
    [InlineData("s3:///bucket/key.mp4", "no S3 endpoint")]
    [InlineData("s3://s3.example", "no bucket")]
    [InlineData("s3://s3.example/bucket", "no object key")]
    [InlineData("s3://s3.example/bucket/", "no object key")]
    [InlineData("s3://s3.example//key.mp4", "no bucket")]
    [InlineData("s3://https://s3.example/bucket/key.mp4", "without a scheme")]
    [InlineData("s3://s3.example:99999/bucket/key.mp4", "not a host name")]
    [InlineData("s3://user:pass@s3.example/bucket/key.mp4", "api_key and source.api_secret")]
    [InlineData("s3://s3.example/b/key.mp4", "bucket name S3 does not allow")]
    [InlineData("s3://s3.example/bu cket/key.mp4", "bucket name S3 does not allow")]
    public async Task Malformed_s3_urls_are_refused_with_what_is_wrong(string url, string expected)
    {
        await AssertRefusedAsync(new { url, api_key = Key, api_secret = Secret }, expected);
    }

    [Fact]
    public async Task Missing_or_unusable_credentials_are_refused_without_quoting_them()
    {
        await AssertRefusedAsync(new { url = Url }, "source.api_key is missing or not a string: an s3:// source needs the access key");
        await AssertRefusedAsync(new { url = Url, api_key = Key }, "source.api_secret is missing or not a string");
        await AssertRefusedAsync(new { url = Url, api_key = Key, api_secret = 42 }, "source.api_secret is missing or not a string");
        await AssertRefusedAsync(new { url = Url, api_key = Key, api_secret = "short" }, "source.api_secret is not a usable value");
        var spaced = "has a space " + Secret;
        var msg = await AssertRefusedAsync(new { url = Url, api_key = Key, api_secret = spaced }, "printable ASCII characters without spaces");
        Assert.DoesNotContain(spaced, msg, StringComparison.Ordinal);
        await AssertRefusedAsync(new { url = Url, api_key = new string('k', 129), api_secret = Secret }, "source.api_key is not a usable value");
    }

    private async Task<string> AssertRefusedAsync(object source, string expected)
    {
        var response = await _client.CallAsync("/api2/cloudslicer/jobs/create", new { source });
        Assert.Equal(1, response["error"]!.GetValue<int>());
        var msg = response["msg"]!.GetValue<string>();
        Assert.Contains(expected, msg, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, msg, StringComparison.Ordinal);
        Assert.Empty((await _client.CallAsync("/api2/cloudslicer/jobs/list"))["jobs"]!.AsArray());
        return msg;
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
