using CloudSlicer.Testing;
using Xunit.Abstractions;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// Hostile transfers through a real server: a lying Content-Length, an absurd one, a stall after the headers
/// and a trickle. None may leave a job stuck: each ends with a clear last_error, in error or waiting for its retry.
/// </summary>
public sealed class SourceTransferTests(ITestOutputHelper output) : IAsyncLifetime
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
            ["CLOUDSLICER_Sources__IdleTimeout"] = "00:00:01",
            ["CLOUDSLICER_Sources__RateWindow"] = "00:00:02",   // longer than the idle timeout, so the stall meets that first
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
    public async Task Lying_absurd_stalled_and_trickling_sources_each_end_with_a_clear_error()
    {
        var endpoint = $"127.0.0.2:{_hostile.HttpPort}";
        string[] paths = ["/lying.mp4", "/absurd.mp4", "/stall.mp4", "/trickle.mp4"];

        var outcomes = await SourceJobs.RunAsync(_client, paths.Select(_hostile.HttpUrl), TimeSpan.FromSeconds(40), settledWhileWaiting: true);

        foreach (var outcome in outcomes)
        {
            output.WriteLine(outcome.ToString());
        }

        var (lying, absurd, stall, trickle) = (outcomes[0], outcomes[1], outcomes[2], outcomes[3]);
        Assert.StartsWith($"The connection to {endpoint} failed: ", lying.LastError);
        Assert.Equal(("error", 1), (absurd.State, absurd.Attempts));   // too large is permanent: no retry
        Assert.Equal("The source is larger than the 90 GB limit (Content-Length 1000000000000000 bytes); use a local slicer for larger files", absurd.LastError);
        Assert.Equal("The source server sent no data for 1 s", stall.LastError);
        Assert.StartsWith("The source sent ", trickle.LastError);
        Assert.Contains(" bytes in 2 s, ", trickle.LastError);
        Assert.EndsWith("below the 64 KiB/s floor (Sources:MinBytesPerSecond); check the source server or its network", trickle.LastError);
        SourceJobs.AssertAll(outcomes, o => !o.LastError.Contains(_data, StringComparison.Ordinal), "free of server paths");
    }
}
