using CloudSlicer.Testing;
using Xunit.Abstractions;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// Hostile transfers through a real server: a lying Content-Length, an absurd one, a stall after the headers
/// (the trickle has its own server: <see cref="SourceTrickleTests"/>). None may leave a job stuck: each ends with a
/// clear last_error, in error or waiting for its retry.
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
    public async Task Lying_absurd_and_stalled_sources_each_end_with_a_clear_error()
    {
        var endpoint = $"127.0.0.2:{_hostile.HttpPort}";
        string[] paths = ["/lying.mp4", "/absurd.mp4", "/stall.mp4"];

        var outcomes = await SourceJobs.RunAsync(_client, paths.Select(_hostile.HttpUrl), TimeSpan.FromSeconds(40), settledWhileWaiting: true);

        foreach (var outcome in outcomes)
        {
            output.WriteLine(outcome.ToString());
        }

        var (lying, absurd, stall) = (outcomes[0], outcomes[1], outcomes[2]);
        Assert.StartsWith($"The connection to {endpoint} failed: ", lying.LastError);
        Assert.Equal(("error", 1), (absurd.State, absurd.Attempts));   // too large is permanent: no retry
        Assert.Equal("The source is larger than the 90 GB limit (Content-Length 1000000000000000 bytes); use a local slicer for larger files", absurd.LastError);
        Assert.Equal("The source server sent no data for 1 s", stall.LastError);
        SourceJobs.AssertAll(outcomes, o => !o.LastError.Contains(_data, StringComparison.Ordinal), "free of server paths");
    }
}
