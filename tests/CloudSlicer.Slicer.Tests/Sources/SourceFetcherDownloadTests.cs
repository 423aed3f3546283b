using System.Diagnostics;
using CloudSlicer.Slicer.Sources;

namespace CloudSlicer.Slicer.Tests.Sources;

/// <summary>Downloads from a real loopback server with the guard off (--allow-private-sources): size, time and failures.</summary>
public sealed class SourceFetcherDownloadTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Downloads_the_file_byte_for_byte_and_reports_progress_up_to_one()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private();
        var progress = new RecordingProgress();
        var destination = _temp.File("source");

        var result = await fetcher.DownloadAsync(server.Url("/bytes/1000000"), destination, progress, CancellationToken.None);

        Assert.Equal(new DownloadResult(1_000_000, "video/mp4"), result);
        Assert.Equal(LoopbackHttpServer.Bytes(1_000_000), await File.ReadAllBytesAsync(destination));
        var reports = progress.Values;
        Assert.True(reports.Count > 1, $"only {reports.Count} progress reports");
        Assert.Equal(1.0, reports[^1]);
        Assert.All(reports, p => Assert.InRange(p, 0.0, 1.0));
        Assert.Equal(reports.Order(), reports);
    }

    [Fact]
    public async Task Downloads_a_chunked_body_without_progress()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private();
        var progress = new RecordingProgress();
        var destination = _temp.File("source");

        var result = await fetcher.DownloadAsync(server.Url("/chunked/100000"), destination, progress, CancellationToken.None);

        Assert.Equal(100_000, result.Bytes);
        Assert.Equal(LoopbackHttpServer.Bytes(100_000), await File.ReadAllBytesAsync(destination));
        Assert.Empty(progress.Values);
    }

    [Fact]
    public async Task Follows_a_relative_redirect()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private();
        var destination = _temp.File("source");

        var result = await fetcher.DownloadAsync(server.Url("/redirect?to=/bytes/5000"), destination, null, CancellationToken.None);

        Assert.Equal(5000, result.Bytes);
        Assert.Equal(2, server.RequestCount);
    }

    [Theory]
    [InlineData(404, "The source URL answered HTTP 404 Not Found: check that the URL is public and correct")]
    [InlineData(403, "The source URL answered HTTP 403 Forbidden: check that the URL is public and correct")]
    [InlineData(503, "The source URL answered HTTP 503 Service Unavailable: the source server failed; try again later")]
    public async Task Http_errors_say_what_the_server_answered(int status, string message)
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private();
        var destination = _temp.File("source");

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url($"/status/{status}"), destination, null, CancellationToken.None));

        Assert.Equal(message, error.Message);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task Content_length_over_the_limit_is_refused_before_downloading()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o => o.MaxBytes = 1000);
        var destination = _temp.File("source");

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/bytes/5000"), destination, null, CancellationToken.None));

        Assert.Equal("The source is larger than the 1 kB limit (Content-Length 5000 bytes); use a local slicer for larger files", error.Message);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task A_96_GB_content_length_is_refused_under_the_default_90_GB_limit()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o => o.MaxBytes = new SourceOptions().MaxBytes);

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/huge"), _temp.File("source"), null, CancellationToken.None).WaitAsync(Deadline));

        Assert.Equal("The source is larger than the 90 GB limit (Content-Length 96000000000 bytes); use a local slicer for larger files", error.Message);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_aborted_and_the_partial_file_removed()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o => o.MaxBytes = 50_000);
        var destination = _temp.File("source");

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/chunked/200000"), destination, null, CancellationToken.None));

        Assert.StartsWith("The source is larger than the 50 kB limit (more than 50000 bytes arrived)", error.Message);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task A_server_that_stalls_mid_body_fails_after_the_idle_timeout_and_the_partial_file_is_removed()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));
        var destination = _temp.File("source");

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/stall-body/1000"), destination, null, CancellationToken.None).WaitAsync(Deadline));

        Assert.Equal("The source server sent no data for 300 ms", error.Message);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task A_server_that_never_sends_headers_fails_after_the_idle_timeout()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o =>
        {
            o.ConnectTimeout = TimeSpan.FromMilliseconds(500);
            o.IdleTimeout = TimeSpan.FromMilliseconds(300);
        });

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/stall-headers"), _temp.File("source"), null, CancellationToken.None).WaitAsync(Deadline));

        Assert.Equal("The source server sent no data for 300 ms", error.Message);
    }

    [Fact]
    public async Task A_connection_that_breaks_mid_body_fails_and_the_partial_file_is_removed()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private();
        var destination = _temp.File("source");

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/truncated/100000"), destination, null, CancellationToken.None).WaitAsync(Deadline));

        Assert.StartsWith($"The connection to 127.0.0.1:{server.Port} failed: ", error.Message);
        Assert.EndsWith("; try again", error.Message);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task Cancellation_stops_a_stalled_download_promptly_and_removes_the_partial_file()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o => o.IdleTimeout = TimeSpan.FromMinutes(5));
        var destination = _temp.File("source");
        using var cancel = new CancellationTokenSource();

        var download = fetcher.DownloadAsync(server.Url("/stall-body/100000"), destination, null, cancel.Token);
        await server.Stalled.WaitAsync(Deadline);
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download.WaitAsync(Deadline));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed} to stop");
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task A_closed_port_says_the_connection_failed()
    {
        var port = LoopbackHttpServer.ClosedPort();
        using var fetcher = Fetchers.Private();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(new Uri($"http://127.0.0.1:{port}/a.mp4"), _temp.File("source"), null, CancellationToken.None));

        Assert.StartsWith($"Could not connect to 127.0.0.1:{port}: ", error.Message);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Https_to_a_server_without_tls_says_the_secure_connection_failed()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(new Uri($"https://127.0.0.1:{server.Port}/bytes/10"), _temp.File("source"), null, CancellationToken.None).WaitAsync(Deadline));

        Assert.StartsWith($"Could not make a secure connection to 127.0.0.1:{server.Port}: ", error.Message);
    }

    [Fact]
    public async Task An_unknown_host_says_so()
    {
        using var fetcher = Fetchers.WithDns([], o => o.AllowPrivateSources = true);

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(new Uri("https://no-such-host.test/a.mp4"), _temp.File("source"), null, CancellationToken.None));

        Assert.Equal("Could not find the host no-such-host.test: check that the URL is correct", error.Message);
    }

    [Fact]
    public async Task A_connection_that_cannot_be_made_in_time_fails_after_the_connect_timeout()
    {
        // DNS that never answers stands in for a black-holed address: both sit inside the connect timeout.
        using var fetcher = Fetchers.WithResolver(
            async (_, token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return [];
            },
            o =>
            {
                o.AllowPrivateSources = true;
                o.ConnectTimeout = TimeSpan.FromMilliseconds(300);
            });

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(new Uri("http://slow.test:8080/a.mp4"), _temp.File("source"), null, CancellationToken.None).WaitAsync(Deadline));

        Assert.StartsWith("Could not connect to slow.test:8080 within 300 ms", error.Message);
    }
}
