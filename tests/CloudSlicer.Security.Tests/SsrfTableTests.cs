using System.Net;
using CloudSlicer.Testing;
using Xunit.Abstractions;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// The SSRF table through a real server with the guard on, as a public service runs: every spelling of the
/// metadata, loopback, private and CGNAT addresses, and the userinfo and <c>#@</c> tricks, is refused
/// (at the door, or as a job in <c>error</c> saying so), and canaries on the loopback spellings' port prove
/// that nothing was ever dialled.
/// </summary>
public sealed class SsrfTableTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _data = SourceJobs.NewDataDirectory();
    private CanaryListener _canary = null!;
    private CanaryListener _canary6 = null!;
    private CloudSlicerProcess _server = null!;
    private HttpClient _http = null!;
    private Api2Client _client = null!;

    public async Task InitializeAsync()
    {
        _canary = CanaryListener.Start();
        _canary6 = CanaryListener.Start(IPAddress.IPv6Loopback);
        (_server, _http, _client) = await SourceJobs.StartAsync(_data);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _canary.DisposeAsync();
        await _canary6.DisposeAsync();
        SourceJobs.DeleteDataDirectory(_data);
    }

    [Fact]
    public async Task Every_spelling_of_a_non_public_address_is_refused_and_nothing_is_dialled()
    {
        var port = _canary.Port;
        string[] urls =
        [
            "http://169.254.169.254/latest/meta-data/",
            $"http://127.0.0.1:{port}/a.mp4",
            $"http://2130706433:{port}/a.mp4",
            $"http://0x7f000001:{port}/a.mp4",
            $"http://0177.0.0.1:{port}/a.mp4",
            $"http://127.1:{port}/a.mp4",
            $"http://0.0.0.0:{port}/a.mp4",
            $"http://localhost:{port}/a.mp4",
            $"http://[::1]:{_canary6.Port}/a.mp4",
            $"http://[::ffff:127.0.0.1]:{port}/a.mp4",
            $"http://[64:ff9b::7f00:1]:{port}/a.mp4",
            $"http://[2002:7f00:1::]:{port}/a.mp4",
            $"http://[fe80::1%25eth0]:{port}/a.mp4",
            "http://10.0.0.1/a.mp4",
            "http://172.16.0.1/a.mp4",
            "http://192.168.1.1/a.mp4",
            "http://100.64.0.1/a.mp4",
            $"http://example.com@127.0.0.1:{port}/a.mp4",
            $"http://127.0.0.1:{port}#@example.com/a.mp4",
        ];

        var outcomes = await SourceJobs.RunAsync(_client, urls, TimeSpan.FromSeconds(40));

        foreach (var outcome in outcomes)
        {
            output.WriteLine(outcome.ToString());
        }

        SourceJobs.AssertAll(outcomes, Refused, "refused");
        SourceJobs.AssertAll(outcomes, o => !o.LastError.Contains("example.com@", StringComparison.Ordinal), "echoed without their userinfo");
        Assert.Equal(0, _canary.Connections);
        Assert.Equal(0, _canary6.Connections);
    }

    private static bool Refused(SourceOutcome outcome) =>
        outcome.CreateError is not null
        || (outcome.State == "error"
            && outcome.LastError.StartsWith("Refused to fetch ", StringComparison.Ordinal)
            && outcome.LastError.EndsWith("(start with --allow-private-sources to allow it)", StringComparison.Ordinal)
            && outcome.Attempts == 1);   // a refusal is permanent: no retry (ServerProcess allows 2 attempts)
}
