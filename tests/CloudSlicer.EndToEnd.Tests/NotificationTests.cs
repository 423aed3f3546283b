using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// Slicebot notifications from a real <c>cloudslicer serve</c> to a real loopback receiver (private addresses
/// allowed, as with --allow-private-sources): after a real slice, on a job's error, and across a restart.
/// </summary>
public sealed class NotificationTests(Sources sources) : IClassFixture<Sources>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    // Quick tries and a short lease, so a send cut by the stop goes out again soon after the restart.
    private static readonly Dictionary<string, string> Quick = new()
    {
        ["CLOUDSLICER_Notifications__PollInterval"] = "00:00:00.100",
        ["CLOUDSLICER_Notifications__Timeout"] = "00:00:05",
        ["CLOUDSLICER_Notifications__LeaseDuration"] = "00:00:10",
    };

    [Fact]
    public async Task Start_and_done_urls_receive_signed_Slicebot_forms_around_a_real_slice()
    {
        using var data = new TempDirectory();
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var server = await ServerProcess.StartAsync(data.Path, Quick);
        var client = Client(server);
        var refused = await client.CallAsync("/api2/cloudslicer/jobs/create", new
        {
            source = new { url = sources.Url("clip.mp4") },
            args = new { done_url = "ftp://hooks.example/done?token=s3cr3t" },
        });
        Assert.Equal(1, refused["error"]!.GetValue<int>());
        Assert.Contains("done_url must be an absolute http or https URL", refused["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", refused["msg"]!.GetValue<string>(), StringComparison.Ordinal);

        var id = await client.CreateAsync(sources.Url("clip.mp4"), new
        {
            trim = "0,3000",
            start_url = receiver.Url("/start"),
            done_url = receiver.Url("/done?token=t0k&site=7"),
            external_id = "cust-42",
            description = "Launch video",
        });
        var (job, _) = await client.WaitFinishedAsync(id, Deadline);
        Assert.Equal("done", job["state"]!.GetValue<string>());
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Accepted.Count), n => n >= 2, Deadline, "start and done notifications");

        var done = Assert.Single(receiver.Received, r => r.Path == "/done");
        Assert.Equal(("POST", ""), (done.Method, done.Query));
        Assert.StartsWith("CloudSlicer/", done.UserAgent, StringComparison.Ordinal);
        Assert.True(done.SignedWith(server.Secret!));
        var form = done.Form;
        Assert.Equal(("t0k", "7"), (form["token"], form["site"]));
        Assert.Equal(("clip.mp4", job["asset"]!.GetValue<string>(), "cust-42", "Launch video", "ok"),
            (form["filename"], form["asset_id"], form["external_id"], form["description"], form["status"]));
        Assert.Equal(id, form["job_id"]);

        var start = Assert.Single(receiver.Received, r => r.Path == "/start");
        Assert.Equal(("ok", "start", "clip.mp4"), (start.Form["status"], start.Form["event"], start.Form["filename"]));
        Assert.True(start.SignedWith(server.Secret!));
    }

    [Fact]
    public async Task Urls_from_a_cfg_sidecar_are_notified_like_urls_in_args()
    {
        using var data = new TempDirectory();
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var server = await ServerProcess.StartAsync(data.Path, Quick);

        // A source of its own, so the sidecar naming this receiver affects no other test.
        var name = $"sidecar-{Guid.NewGuid():N}.mp4";
        File.Copy(Path.Combine(sources.Directory, "clip.mp4"), Path.Combine(sources.Directory, name));
        await File.WriteAllTextAsync(
            Path.Combine(sources.Directory, name + ".cfg"),
            $"start_url = {receiver.Url("/sidecar-start")}\ndone_url = {receiver.Url("/sidecar-done")}\nexternal_id = from-cfg\n");

        var id = await Client(server).CreateAsync(sources.Url(name), new { trim = "0,2000" });
        var (job, _) = await Client(server).WaitFinishedAsync(id, Deadline);
        Assert.Equal("done", job["state"]!.GetValue<string>());
        Assert.Equal(receiver.Url("/sidecar-done"), job["args"]!["done_url"]!.GetValue<string>());   // the job shows what it ran with

        await Eventually.UntilAsync(() => Task.FromResult(receiver.Accepted.Count), n => n >= 2, Deadline, "start and done from the sidecar's URLs");
        Assert.Equal(("ok", "start"), (Assert.Single(receiver.Accepted, r => r.Path == "/sidecar-start").Form["status"], Assert.Single(receiver.Accepted, r => r.Path == "/sidecar-start").Form["event"]));
        var done = Assert.Single(receiver.Accepted, r => r.Path == "/sidecar-done");
        Assert.Equal((job["asset"]!.GetValue<string>(), "from-cfg"), (done.Form["asset_id"], done.Form["external_id"]));
    }

    [Fact]
    public async Task Fail_url_hears_once_when_the_job_reaches_error_not_on_each_failed_attempt()
    {
        using var data = new TempDirectory();
        await using var failingSource = await NotificationReceiver.StartAsync(failFirst: int.MaxValue);
        await using var receiver = await NotificationReceiver.StartAsync();
        await using var server = await ServerProcess.StartAsync(data.Path, Quick);
        var client = Client(server);

        var id = await client.CreateAsync(failingSource.Url("/clip.mp4"), new { fail_url = receiver.Url("/fail"), done_url = receiver.Url("/done") });
        var (job, _) = await client.WaitFinishedAsync(id, Deadline);
        Assert.Equal(("error", 2), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));   // a transient fault, retried once
        Assert.Equal(2, failingSource.Received.Count(r => r.Path == "/clip.mp4"));

        // A marker job sent after: once its fail arrived, anything the first job's attempts queued has gone out.
        var marker = await client.CreateAsync(sources.Url("missing.mp4"), new { fail_url = receiver.Url("/marker") });
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Accepted.Count(r => r.Path == "/marker")), n => n == 1, Deadline, "the marker's fail");

        var fail = Assert.Single(receiver.Received, r => r.Path == "/fail");
        Assert.Equal(("error", "clip.mp4"), (fail.Form["status"], fail.Form["filename"]));
        Assert.Equal(job["last_error"]!.GetValue<string>(), fail.Form["error"]);
        Assert.Contains("HTTP 500", fail.Form["error"], StringComparison.Ordinal);
        Assert.DoesNotContain(receiver.Received, r => r.Path == "/done");

        var markerFail = Assert.Single(receiver.Received, r => r.Path == "/marker");   // a permanent failure: error at once
        Assert.Equal(marker, markerFail.Form["job_id"]);
        Assert.Contains("404", markerFail.Form["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notifications_pending_at_a_stop_are_each_delivered_exactly_once_after_the_restart()
    {
        using var data = new TempDirectory();
        await using var receiver = await NotificationReceiver.StartAsync(failFirst: int.MaxValue);
        string owner, secret, id;
        await using (var first = await ServerProcess.StartAsync(data.Path, Quick))
        {
            (owner, secret) = (first.Owner!, first.Secret!);
            var client = Client(first);
            id = await client.CreateAsync(sources.Url("clip.mp4"), new
            {
                trim = "0,2000",
                start_url = receiver.Url("/start"),
                done_url = receiver.Url("/done"),
                notify_retries = 10,
                notify_retry_wait = 1,
            });
            Assert.Equal("done", (await client.WaitFinishedAsync(id, Deadline)).Job["state"]!.GetValue<string>());
            await Eventually.UntilAsync(
                () => Task.FromResult(receiver.Received.Select(r => r.Path).Distinct().Count()), n => n == 2, Deadline, "both notifications tried and refused");
            await first.StopAsync();
        }

        var refusedBeforeRestart = receiver.Received.Count;
        Assert.Empty(receiver.Accepted);
        receiver.FailRemaining = 0;

        await using var second = await ServerProcess.StartAsync(data.Path, Quick);
        var client2 = new Api2Client(new HttpClient { BaseAddress = new Uri(second.Url) }, owner, secret);
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Accepted.Count), n => n >= 2, Deadline, "both notifications after the restart");

        // A marker sent after: once it arrived, a duplicate of the first two would have arrived too.
        await client2.CreateAsync(sources.Url("missing.mp4"), new { fail_url = receiver.Url("/marker") });
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Accepted.Count(r => r.Path == "/marker")), n => n == 1, Deadline, "the marker");

        Assert.Equal(["/done", "/marker", "/start"], receiver.Accepted.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.True(receiver.Received.Count > refusedBeforeRestart);
        Assert.All(receiver.Accepted.Where(r => r.Path != "/marker"), r => Assert.Equal(id, r.Form["job_id"]));
    }

    private static Api2Client Client(CloudSlicerProcess server) =>
        new(new HttpClient { BaseAddress = new Uri(server.Url) }, server.Owner!, server.Secret!);
}
