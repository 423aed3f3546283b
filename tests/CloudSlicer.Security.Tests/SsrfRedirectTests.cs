using Xunit.Abstractions;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// Redirects from an allowed first hop (127.0.0.2, allow-listed) to every refused address, in a loop, and from
/// https down to http: each hop is checked like the first URL, and the canaries prove no refused address was dialled.
/// </summary>
public sealed class SsrfRedirectTests(SsrfRedirectServer fixture, ITestOutputHelper output) : IClassFixture<SsrfRedirectServer>
{
    // A refusal, a loop and a downgrade are permanent: one attempt, though ServerProcess allows 2.
    private const int PermanentAttempts = 1;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_redirect_to_any_refused_address_is_refused_and_nothing_is_dialled()
    {
        var targets = SsrfTargets.All(fixture.Canary.Port, fixture.Canary6.Port);

        var outcomes = await SourceJobs.RunAsync(fixture.Client, targets.Select(fixture.Hostile.RedirectTo), Timeout);

        Log(outcomes);
        SourceJobs.AssertAll(outcomes, o => o.CreateError is null, "accepted at the door (the first hop is allowed)");
        SourceJobs.AssertAll(
            outcomes,
            o => o.State == "error" && o.LastError.StartsWith("Refused to fetch ", StringComparison.Ordinal) && o.Attempts == PermanentAttempts,
            "refused on the redirect");
        SourceJobs.AssertAll(outcomes, o => !o.LastError.Contains("example.com@", StringComparison.Ordinal), "echoed without their userinfo");
        Assert.True(fixture.Hostile.RequestsFor("/redirect") >= targets.Length, "the first hops were not all made");
        Assert.Equal(0, fixture.Canary.Connections);
        Assert.Equal(0, fixture.Canary6.Connections);
    }

    [Fact]
    public async Task A_redirect_loop_ends_in_error_saying_so()
    {
        var outcomes = await SourceJobs.RunAsync(fixture.Client, [fixture.Hostile.HttpUrl("/loop/0")], Timeout);

        Log(outcomes);
        var loop = Assert.Single(outcomes);
        Assert.Equal("error", loop.State);
        Assert.Equal("Too many redirects (more than 5)", loop.LastError);
        Assert.Equal(PermanentAttempts, loop.Attempts);
    }

    [Fact]
    public async Task An_https_source_redirecting_to_http_is_refused_as_a_downgrade()
    {
        var downgrade = fixture.Hostile.HttpsUrl($"/redirect?to={Uri.EscapeDataString(fixture.Hostile.HttpUrl("/plain.mp4"))}");
        var control = fixture.Hostile.HttpsUrl($"/redirect?to={Uri.EscapeDataString(fixture.Hostile.HttpsUrl("/clip.mp4"))}");

        var outcomes = await SourceJobs.RunAsync(fixture.Client, [downgrade, control], Timeout);

        Log(outcomes);
        Assert.Equal("error", outcomes[0].State);
        Assert.StartsWith(
            $"Refused to follow the redirect from https://127.0.0.2:{fixture.Hostile.HttpsPort}/redirect to http://127.0.0.2:{fixture.Hostile.HttpPort}/plain.mp4: "
            + "an https source must not be downgraded to plain http",
            outcomes[0].LastError);
        Assert.Equal(PermanentAttempts, outcomes[0].Attempts);
        Assert.Equal(0, fixture.Hostile.RequestsFor("/plain.mp4"));

        // The control: https to https is followed (the 1000 zero bytes are then no media, which is another story).
        Assert.True(fixture.Hostile.RequestsFor("/clip.mp4") > 0, outcomes[1].ToString());
    }

    private void Log(IEnumerable<SourceOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            output.WriteLine(outcome.ToString());
        }
    }
}
