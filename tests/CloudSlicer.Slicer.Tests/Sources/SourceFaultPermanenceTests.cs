using CloudSlicer.Slicer.Sources;

namespace CloudSlicer.Slicer.Tests.Sources;

/// <summary>
/// Which faults are worth another attempt: the slicer sends a job straight to error on a permanent one
/// (a refused address, a 4xx, a source over the cap, a redirect loop, a downgrade) and retries the rest.
/// </summary>
public sealed class SourceFaultPermanenceTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("/status/400", true)]
    [InlineData("/status/401", true)]
    [InlineData("/status/403", true)]
    [InlineData("/status/404", true)]
    [InlineData("/status/410", true)]
    [InlineData("/status/408", false)]
    [InlineData("/status/429", false)]
    [InlineData("/status/500", false)]
    [InlineData("/status/502", false)]
    [InlineData("/status/503", false)]
    [InlineData("/loop/0", true)]
    [InlineData("/bytes/5000", true)]
    [InlineData("/chunked/5000", true)]
    [InlineData("/truncated/100", false)]   // announces 200 bytes, under the cap, and breaks off: a reset, worth a retry
    [InlineData("/stall-body/10", false)]
    [InlineData("/stall-headers", false)]
    public async Task A_fault_is_permanent_only_when_another_attempt_would_meet_it_again(string path, bool permanent)
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o =>
        {
            o.MaxBytes = 1000;
            o.IdleTimeout = TimeSpan.FromMilliseconds(300);
        });

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url(path), _temp.File("source"), null, CancellationToken.None).WaitAsync(Deadline));

        Assert.True(error.Permanent == permanent, $"{path}: Permanent is {error.Permanent} for \"{error.Message}\"");
    }

    [Fact]
    public async Task A_refused_address_is_permanent()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Create();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/bytes/10"), _temp.File("source"), null, CancellationToken.None));

        Assert.True(error.Permanent);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1/x.mp4")]
    public async Task A_scheme_other_than_http_is_permanent(string url)
    {
        using var fetcher = Fetchers.Private();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(new Uri(url), _temp.File("source"), null, CancellationToken.None));

        Assert.True(error.Permanent);
    }

    [Fact]
    public async Task A_relative_url_is_permanent()
    {
        using var fetcher = Fetchers.Private();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(new Uri("videos/a.mp4", UriKind.Relative), _temp.File("source"), null, CancellationToken.None));

        Assert.True(error.Permanent);
    }

    [Fact]
    public async Task A_closed_port_is_transient()
    {
        using var fetcher = Fetchers.Private();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(new Uri($"http://127.0.0.1:{LoopbackHttpServer.ClosedPort()}/a.mp4"), _temp.File("source"), null, CancellationToken.None));

        Assert.False(error.Permanent);
    }

    [Fact]
    public async Task An_unknown_host_is_transient()
    {
        // DNS can fail for a moment; the name may well resolve on the next attempt.
        using var fetcher = Fetchers.WithDns([], o => o.AllowPrivateSources = true);

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(new Uri("https://no-such-host.test/a.mp4"), _temp.File("source"), null, CancellationToken.None));

        Assert.False(error.Permanent);
    }
}
