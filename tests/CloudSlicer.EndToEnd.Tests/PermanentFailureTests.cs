using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// A fault no retry can mend ends the job at once (attempts 1) with its clear message; a transient one keeps
/// its retries and errors only when they are spent (MaxAttempts is 2 in <see cref="ServerProcess"/>).
/// </summary>
public sealed class PermanentFailureTests(PermanentFailureFixture fixture) : IClassFixture<PermanentFailureFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("missing.mp4", "HTTP 404 Not Found")]
    [InlineData("playlist.mp4", "The source is a 'hls' playlist")]
    [InlineData("audio.m4a", "The source has no video stream")]
    [InlineData("bad-setting.mp4", "The .cfg sidecar next to the source has a setting that cannot be used")]
    [InlineData("large.mp4", "larger than the 2 MB limit")]
    public async Task A_fault_no_retry_can_mend_ends_the_job_after_one_attempt(string name, string expected)
    {
        var job = await RunAsync(fixture.Files.UrlOf(name));

        AssertError(job, attempts: 1, expected);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(410)]
    public async Task A_4xx_source_is_asked_once(int status)
    {
        var job = await RunAsync(fixture.StatusUrl(status, "clip.mp4"));

        AssertError(job, attempts: 1, $"HTTP {status}");
        Assert.Equal(1, fixture.RequestsFor(status, "clip.mp4"));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task A_transient_fault_is_retried_and_errors_only_when_the_attempts_are_spent(int status)
    {
        var job = await RunAsync(fixture.StatusUrl(status, "clip.mp4"));

        AssertError(job, attempts: 2, $"HTTP {status}");
        Assert.Equal(2, fixture.RequestsFor(status, "clip.mp4"));
    }

    private async Task<JsonObject> RunAsync(string url)
    {
        var (job, _) = await fixture.Client.WaitFinishedAsync(await fixture.Client.CreateAsync(url), Deadline);
        return job;
    }

    private void AssertError(JsonObject job, int attempts, string expected)
    {
        var lastError = job["last_error"]!.GetValue<string>();
        Assert.Equal(("error", attempts), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        Assert.Contains(expected, lastError, StringComparison.Ordinal);
        Assert.True(job["finished"]!.GetValue<long>() > 0);
        Assert.DoesNotContain(fixture.Server.DataDirectory, lastError, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp", lastError, StringComparison.Ordinal);
    }
}

/// <summary>The SSRF guard's refusal is permanent too, and the refused address is never dialled.</summary>
public sealed class PermanentFailureOfARefusedSourceTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private CloudSlicerProcess _server = null!;
    private CanaryListener _canary = null!;

    public async Task InitializeAsync()
    {
        _canary = CanaryListener.Start();
        _server = await ServerProcess.StartAsync(_data.Path, null, allowPrivateSources: false);
        _http.BaseAddress = new Uri(_server.Url);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _canary.DisposeAsync();
        _http.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_refused_source_address_ends_the_job_after_one_attempt()
    {
        var client = new Api2Client(_http, _server.Owner!, _server.Secret!);

        var (job, _) = await client.WaitFinishedAsync(await client.CreateAsync(_canary.Url("127.0.0.1")), TimeSpan.FromMinutes(2));

        Assert.Equal(("error", 1), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        Assert.StartsWith("Refused to fetch", job["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, _canary.Connections);
    }
}
