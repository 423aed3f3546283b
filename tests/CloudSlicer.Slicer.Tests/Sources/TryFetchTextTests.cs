using CloudSlicer.Slicer.Sources;

namespace CloudSlicer.Slicer.Tests.Sources;

/// <summary>Sidecars are optional: every failure is "no sidecar", except cancellation.</summary>
public sealed class TryFetchTextTests
{
    [Fact]
    public async Task Returns_the_text_on_200()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        server.ServeText("a.mp4.cfg", "description = Über clip\nfade = 1\n");
        using var fetcher = Fetchers.Private();

        var text = await fetcher.TryFetchTextAsync(server.Url("/text/a.mp4.cfg"), 64 * 1024, CancellationToken.None);

        Assert.Equal("description = Über clip\nfade = 1\n", text);
    }

    [Fact]
    public async Task Follows_redirects()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        server.ServeText("a.cfg", "fade = 1");
        using var fetcher = Fetchers.Private();

        Assert.Equal("fade = 1", await fetcher.TryFetchTextAsync(server.Url("/redirect?to=/text/a.cfg"), 1024, CancellationToken.None));
    }

    [Theory]
    [InlineData("/text/missing.cfg")]
    [InlineData("/status/410")]
    [InlineData("/status/500")]
    [InlineData("/loop/0")]
    public async Task Returns_null_when_the_server_has_no_sidecar(string path)
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private();

        Assert.Null(await fetcher.TryFetchTextAsync(server.Url(path), 1024, CancellationToken.None));
    }

    [Theory]
    [InlineData("/bytes/5000")]
    [InlineData("/chunked/5000")]
    public async Task Returns_null_when_the_body_is_over_the_limit(string path)
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private();

        Assert.Null(await fetcher.TryFetchTextAsync(server.Url(path), 1000, CancellationToken.None));
    }

    [Fact]
    public async Task Still_applies_the_guard()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        server.ServeText("a.cfg", "fade = 1");
        using var fetcher = Fetchers.Create();

        Assert.Null(await fetcher.TryFetchTextAsync(server.Url("/text/a.cfg"), 1024, CancellationToken.None));
        Assert.Null(await fetcher.TryFetchTextAsync(server.Url("/text/a.cfg", host: "localhost"), 1024, CancellationToken.None));
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Returns_null_when_the_server_stalls()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));

        Assert.Null(await fetcher.TryFetchTextAsync(server.Url("/stall-body/10"), 1024, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task A_trickling_sidecar_is_skipped_at_the_sidecar_timeout()
    {
        // A byte every 100 ms never trips the idle timeout, and 64 KiB would take almost two hours.
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o => o.SidecarTimeout = TimeSpan.FromSeconds(1));

        Assert.Null(await fetcher.TryFetchTextAsync(server.Url("/text-trickle"), 64 * 1024, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task A_sidecar_whose_headers_never_come_is_skipped_at_the_sidecar_timeout_not_the_idle_timeout()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o =>
        {
            o.IdleTimeout = TimeSpan.FromMinutes(5);
            o.SidecarTimeout = TimeSpan.FromMilliseconds(500);
        });

        Assert.Null(await fetcher.TryFetchTextAsync(server.Url("/stall-headers"), 1024, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Throws_when_cancelled()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o => o.IdleTimeout = TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource();

        var fetch = fetcher.TryFetchTextAsync(server.Url("/stall-headers"), 1024, cancel.Token);
        await server.Stalled.WaitAsync(TimeSpan.FromSeconds(15));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(TimeSpan.FromSeconds(15)));
    }
}
