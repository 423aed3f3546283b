using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// One real server (MaxAttempts 2, a 2 MB source cap) for <see cref="PermanentFailureTests"/>, the files it
/// fetches, and a source server that answers any status code asked for in the path (<c>/status/503/x.mp4</c>),
/// counting the requests so a test can tell one attempt from two.
/// </summary>
public sealed class PermanentFailureFixture : IAsyncLifetime
{
    public const long MaxSourceBytes = 2_000_000;

    private readonly TempDirectory _data = new();
    private readonly TempDirectory _files = new();
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new();
    private WebApplication _statusServer = null!;
    private string _statusBaseUrl = "";

    public CloudSlicerProcess Server { get; private set; } = null!;

    public LoopbackFileServer Files { get; private set; } = null!;

    public Api2Client Client { get; private set; } = null!;

    /// <summary>A source that answers HTTP <paramref name="status"/> to every request.</summary>
    public string StatusUrl(int status, string name) => $"{_statusBaseUrl}/status/{status}/{name}";

    /// <summary>How many requests the status server saw for exactly this path (sidecars are counted apart).</summary>
    public int RequestsFor(int status, string name) => _requests.GetValueOrDefault($"/status/{status}/{name}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_files.Path);
        await File.WriteAllTextAsync(Path.Combine(_files.Path, "playlist.mp4"), "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nclip.mp4\n#EXT-X-ENDLIST\n");
        await File.WriteAllTextAsync(Path.Combine(_files.Path, "bad-setting.mp4.cfg"), "# Slicebot\ntrim = five seconds\n");
        await File.WriteAllBytesAsync(Path.Combine(_files.Path, "large.mp4"), new byte[MaxSourceBytes + 1]);
        await MediaClips.GenerateAsync(
            Path.Combine(_files.Path, "audio.m4a"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(1), Container = "m4a", WithVideo = false });
        Files = await LoopbackFileServer.StartAsync(_files.Path);
        await StartStatusServerAsync();

        Server = await ServerProcess.StartAsync(
            _data.Path, new Dictionary<string, string> { ["CLOUDSLICER_Sources__MaxBytes"] = MaxSourceBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _http.BaseAddress = new Uri(Server.Url);
        Client = new Api2Client(_http, Server.Owner!, Server.Secret!);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Files.DisposeAsync();
        await _statusServer.StopAsync();
        await _statusServer.DisposeAsync();
        _http.Dispose();
        _data.Dispose();
        _files.Dispose();
    }

    private async Task StartStatusServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _statusServer = builder.Build();
        _statusServer.MapGet("/status/{status:int}/{name}", (HttpContext context, int status) =>
        {
            _requests.AddOrUpdate(context.Request.Path.Value!, 1, (_, n) => n + 1);
            return Results.StatusCode(status);
        });
        await _statusServer.StartAsync();
        _statusBaseUrl = _statusServer.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }
}
