using CloudSlicer.Testing;
using Xunit.Abstractions;

namespace CloudSlicer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// PostgreSQL stopped as a crash stops it (immediate mode) mid-job and started again on the same port: the API node
/// and the slicer process reconnect by themselves, the job being sliced ends done on its first attempt, and its
/// done notification is sent exactly once. While the database is down the API answers a clear api2 error at once.
/// </summary>
[Collection(Faults.Name)]
public sealed class PostgresRestartTests(Sources sources, ITestOutputHelper output) : IClassFixture<Sources>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_postgres_restart_mid_job_loses_no_job_and_no_notification()
    {
        // A lease longer than the outage: the slicer's heartbeats fail while the server is down and go through
        // after, so the attempt is not lost (a shorter lease would cost the attempt, not the job).
        await using var deployment = await Deployment.StartAsync(new DeploymentSpec
        {
            OwnPostgres = true,
            Environment = new Dictionary<string, string>
            {
                ["CLOUDSLICER_Queue__LeaseDuration"] = "00:00:30",
                ["CLOUDSLICER_Notifications__PollInterval"] = "00:00:00.100",
                ["CLOUDSLICER_Media__X264Preset"] = "veryslow",
            },
        });
        await using var receiver = await NotificationReceiver.StartAsync();
        var client = deployment.Client();
        var slicer = await deployment.StartSlicerAsync();

        var before = await client.CreateAsync(sources.Url("long.mp4"), new { trim = "0,8000", done_url = receiver.Url("/done") });
        await Eventually.UntilAsync(
            () => client.GetJobAsync(before),
            j => j["progress"]!.GetValue<string>().StartsWith("Slicing", StringComparison.Ordinal),
            Deadline,
            "the job to be slicing");

        await deployment.Postgres.StopAsync(immediate: true);

        // The database is down: a create answers with an api2 error that says so, not a hang (the deadline) or a trace.
        using var noHang = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var refused = await client.CallAsync(
            "/api2/cloudslicer/jobs/create", new { source = new { url = sources.Url("clip.mp4") }, args = new { trim = "0,2000" } }, noHang.Token);
        Assert.Equal(1, refused["error"]!.GetValue<int>());
        var msg = refused["msg"]!.GetValue<string>();
        Assert.Contains("job store did not answer", msg, StringComparison.Ordinal);
        Assert.Contains("try again", msg, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", msg, StringComparison.Ordinal);   // no stack trace
        Assert.DoesNotContain(deployment.Postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), msg, StringComparison.Ordinal);

        await deployment.Postgres.StartServerAsync();

        // The API answers again within 10 s of the server taking connections.
        await Eventually.UntilAsync(() => AnswersAsync(client, before), ok => ok, Reconnect, "the API node to answer /jobs/get again");

        // The slicer's heartbeat goes through: the job moves on (progress changes) under the same attempt.
        var seen = (await client.GetJobAsync(before))["progress"]!.GetValue<string>();
        await Eventually.UntilAsync(
            () => client.GetJobAsync(before),
            j => j["progress"]!.GetValue<string>() != seen || j["state"]!.GetValue<string>() != "assigned",
            Reconnect,
            "the slicer's heartbeat to go through after the restart");

        var after = await client.CreateAsync(sources.Url("clip.mp4"), new { trim = "0,2000", done_url = receiver.Url("/done") });
        foreach (var id in new[] { before, after })
        {
            var (job, _) = await client.WaitFinishedAsync(id, Deadline);
            Assert.Equal(("done", 1), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        }

        // The second job's notification comes after the first's would have: once it is in, the first had every chance to be sent twice.
        await Eventually.UntilAsync(
            () => Task.FromResult(receiver.Accepted.Select(r => r.Form["job_id"]).ToList()),
            ids => ids.Contains(before) && ids.Contains(after),
            Deadline,
            "both done notifications");
        Assert.Equal(1, receiver.Received.Count(r => r.Form["job_id"] == before));
        Assert.Equal(1, receiver.Received.Count(r => r.Form["job_id"] == after));

        // What each process logged about the outage (a failed heartbeat, a request on a dead pooled connection).
        output.WriteLine($"refused create: {msg}");
        output.WriteLine($"slicer:\n{slicer.Output}");
        output.WriteLine($"api:\n{deployment.Apis[0].Output}");
    }

    private static async Task<bool> AnswersAsync(Api2Client client, string id)
    {
        try
        {
            var response = await client.CallAsync("/api2/cloudslicer/jobs/get", new { id });
            return response["error"]!.GetValue<int>() == 0;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
