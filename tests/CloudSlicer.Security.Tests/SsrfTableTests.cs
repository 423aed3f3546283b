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
        var urls = SsrfTargets.All(_canary.Port, _canary6.Port);

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
