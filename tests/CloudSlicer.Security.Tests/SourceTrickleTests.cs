using CloudSlicer.Testing;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// A source that trickles (a byte every 100 ms: never silent, never near 64 KiB/s) through a real server is ended
/// by the rate floor with its rate in last_error. Its own server with a long idle timeout: beside the stall
/// probe's 1 s, a busy machine's scheduling gap once made the trickle look silent instead.
/// </summary>
public sealed class SourceTrickleTests : IAsyncLifetime
{
    private readonly string _data = SourceJobs.NewDataDirectory();
    private SourceHostileServer _hostile = null!;
    private CloudSlicerProcess _server = null!;
    private HttpClient _http = null!;
    private Api2Client _client = null!;

    public async Task InitializeAsync()
    {
        _hostile = await SourceHostileServer.StartAsync();
        (_server, _http, _client) = await SourceJobs.StartAsync(_data, new Dictionary<string, string>
        {
            ["CLOUDSLICER_Sources__AllowedHosts__0"] = SourceHostileServer.Address.ToString(),
            ["CLOUDSLICER_Sources__IdleTimeout"] = "00:00:10",
            ["CLOUDSLICER_Sources__RateWindow"] = "00:00:02",   // the floor is judged every 2 s, long before the idle timeout
        });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _hostile.DisposeAsync();
        SourceJobs.DeleteDataDirectory(_data);
    }

    [Fact]
    public async Task A_trickling_source_ends_with_its_rate_below_the_floor()
    {
        var trickle = (await SourceJobs.RunAsync(_client, [_hostile.HttpUrl("/trickle.mp4")], TimeSpan.FromSeconds(40), settledWhileWaiting: true)).Single();

        Assert.StartsWith("The source sent ", trickle.LastError);
        Assert.Contains(" bytes in 2 s, ", trickle.LastError);
        Assert.EndsWith("below the 64 KiB/s floor (Sources:MinBytesPerSecond); check the source server or its network", trickle.LastError);
        Assert.DoesNotContain(_data, trickle.LastError, StringComparison.Ordinal);
    }
}
