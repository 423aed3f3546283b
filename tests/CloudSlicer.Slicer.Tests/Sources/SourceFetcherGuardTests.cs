using System.Net;
using CloudSlicer.Slicer.Sources;

namespace CloudSlicer.Slicer.Tests.Sources;

/// <summary>
/// The SSRF guard against a real loopback server. Loopback stands in for every non-public address; the
/// allow-list lets a test reach the server on one name or address while another is refused, so a refusal
/// on a later hop can only come from that hop's own check.
/// </summary>
public sealed class SourceFetcherGuardTests : IDisposable
{
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.2");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_loopback_literal_is_refused_before_connecting()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Create();
        var destination = _temp.File("source");

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/bytes/10?sig=secret"), destination, null, CancellationToken.None));

        Assert.Equal(
            $"Refused to fetch http://127.0.0.1:{server.Port}/bytes/10: 127.0.0.1 is a loopback address (start with --allow-private-sources to allow it)",
            error.Message);
        Assert.Equal(0, server.RequestCount);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task A_host_name_resolving_to_loopback_is_refused_on_its_resolved_address()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Create();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/bytes/10", host: "localhost"), _temp.File("source"), null, CancellationToken.None));

        Assert.StartsWith($"Refused to fetch http://localhost:{server.Port}/bytes/10: localhost resolves to ", error.Message);
        Assert.Contains("a loopback address (start with --allow-private-sources to allow it)", error.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("0x7f000001")]
    [InlineData("0.0.0.0")]
    [InlineData("[::1]")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("[::ffff:7f00:1]")]
    [InlineData("[::127.0.0.1]")]
    public async Task Loopback_is_refused_however_it_is_spelled(string host)
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Create();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/bytes/10", host), _temp.File("source"), null, CancellationToken.None));

        Assert.StartsWith("Refused to fetch http://", error.Message);
        Assert.EndsWith("(start with --allow-private-sources to allow it)", error.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task The_allow_list_lets_a_private_host_through()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Create(o => o.AllowedHosts = ["127.0.0.0/8"]);

        var result = await fetcher.DownloadAsync(server.Url("/bytes/10"), _temp.File("source"), null, CancellationToken.None);

        Assert.Equal(10, result.Bytes);
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_host_to_a_loopback_literal_is_refused()
    {
        // localhost is allowed by name; the redirect names the same server by its address, which is not.
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Create(o => o.AllowedHosts = ["localhost"]);
        var target = server.Url("/bytes/10");

        var error = await Assert.ThrowsAsync<SourceException>(() => fetcher.DownloadAsync(
            server.Url($"/redirect?to={Uri.EscapeDataString(target.ToString())}", host: "localhost"), _temp.File("source"), null, CancellationToken.None));

        Assert.Equal($"Refused to fetch {target}: 127.0.0.1 is a loopback address (start with --allow-private-sources to allow it)", error.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_redirect_to_a_name_that_resolves_to_a_refused_address_is_refused_at_connect()
    {
        // The first hop's address is allowed; rebind.test resolves to 127.0.0.2, which is not.
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.WithDns(new() { ["rebind.test"] = [Other] }, o => o.AllowedHosts = ["127.0.0.1"]);
        var target = server.Url("/bytes/10", host: "rebind.test");

        var error = await Assert.ThrowsAsync<SourceException>(() => fetcher.DownloadAsync(
            server.Url($"/redirect?to={Uri.EscapeDataString(target.ToString())}"), _temp.File("source"), null, CancellationToken.None));

        Assert.Equal(
            $"Refused to fetch {target}: rebind.test resolves to 127.0.0.2, a loopback address (start with --allow-private-sources to allow it)",
            error.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Only_allowed_addresses_of_a_name_are_connected_to()
    {
        // The server listens on both addresses; DNS names the refused one first. Connecting in DNS order
        // without the check would reach 127.0.0.2.
        await using var server = await LoopbackHttpServer.StartOnAsync(IPAddress.Loopback, Other);
        using var fetcher = Fetchers.WithDns(new() { ["mixed.test"] = [Other, IPAddress.Loopback] }, o => o.AllowedHosts = ["127.0.0.1"]);

        var result = await fetcher.DownloadAsync(server.Url("/bytes/10", host: "mixed.test"), _temp.File("source"), null, CancellationToken.None);

        Assert.Equal(10, result.Bytes);
        Assert.Equal([IPAddress.Loopback], server.ServedOn);
    }

    [Fact]
    public async Task Without_the_allow_list_the_same_name_reaches_the_first_address()
    {
        // The control for the test above: the server really answers on 127.0.0.2.
        await using var server = await LoopbackHttpServer.StartOnAsync(IPAddress.Loopback, Other);
        using var fetcher = Fetchers.WithDns(new() { ["mixed.test"] = [Other, IPAddress.Loopback] }, o => o.AllowPrivateSources = true);

        await fetcher.DownloadAsync(server.Url("/bytes/10", host: "mixed.test"), _temp.File("source"), null, CancellationToken.None);

        Assert.Equal([Other], server.ServedOn);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("ftp://127.0.0.1/x.mp4", "ftp")]
    [InlineData("gopher://127.0.0.1:6379/_INFO", "gopher")]
    public async Task Only_http_and_https_are_fetched(string url, string scheme)
    {
        using var fetcher = Fetchers.Private();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(new Uri(url), _temp.File("source"), null, CancellationToken.None));

        Assert.Equal($"Only http and https sources can be fetched, not '{scheme}'", error.Message);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("ftp://127.0.0.1/x.mp4", "ftp")]
    public async Task A_redirect_to_another_scheme_is_refused(string to, string scheme)
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private();

        var error = await Assert.ThrowsAsync<SourceException>(() => fetcher.DownloadAsync(
            server.Url($"/redirect?to={Uri.EscapeDataString(to)}"), _temp.File("source"), null, CancellationToken.None));

        Assert.Equal($"Only http and https sources can be fetched, not '{scheme}'", error.Message);
    }

    [Fact]
    public async Task Too_many_redirects_are_refused()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/loop/0"), _temp.File("source"), null, CancellationToken.None));

        Assert.Equal("Too many redirects (more than 5)", error.Message);
        Assert.Equal(6, server.RequestCount);
    }

    [Fact]
    public async Task The_redirect_limit_is_configurable()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        using var fetcher = Fetchers.Private(o => o.MaxRedirects = 0);

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            fetcher.DownloadAsync(server.Url("/redirect?to=/bytes/10"), _temp.File("source"), null, CancellationToken.None));

        Assert.Equal("Too many redirects (more than 0)", error.Message);
    }
}
