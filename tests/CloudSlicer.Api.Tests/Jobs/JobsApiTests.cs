using System.Text.Json.Nodes;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Testing;

namespace CloudSlicer.Api.Tests.Jobs;

public sealed class JobsApiTests : IAsyncLifetime
{
    private const string Source = "http://media.example.com/videos/test.mp4";
    private ApiServer _server = null!;
    private Api2Client _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        _client = await _server.NewOwnerClientAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonObject> CreateAsync(object? args = null, Api2Client? client = null)
    {
        var response = await (client ?? _client).CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = Source }, args = args ?? new { } });
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response["job"]!.AsObject();
    }

    private static void AssertError(JsonObject response, string fragment)
    {
        Assert.Equal(1, response["error"]!.GetValue<int>());
        Assert.Contains(fragment, response["msg"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Create_answers_the_seed_sample_shape()
    {
        var job = await CreateAsync(new { trim = "5000,10000", description = "My file description" });
        Assert.Equal(
            ["state", "last_error", "args", "attempts", "source", "finished", "asset", "last_start", "owner", "progress", "percent", "slicer", "id"],
            job.Select(p => p.Key));
        Assert.Equal("waiting", job["state"]!.GetValue<string>());
        Assert.Equal("""{"trim":"5000,10000","desc":"My file description"}""", job["args"]!.ToJsonString());
        Assert.Equal($$"""{"url":"{{Source}}"}""", job["source"]!.ToJsonString());
        Assert.Equal(_client.Owner, job["owner"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}$", job["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_args_are_listed_in_illegal_slicer_args_and_ignored()
    {
        var response = await _client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = Source }, args = new { bad_arg1 = 1, bad_arg2 = "x", desc = "d" } });
        Assert.Equal(0, response["error"]!.GetValue<int>());
        Assert.Equal("""["bad_arg1","bad_arg2"]""", response["illegal_slicer_args"]!.ToJsonString());
        Assert.Equal("""{"desc":"d"}""", response["job"]!["args"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"source": {"url": "http://x/y.mp4"}, "args": {"trim": "5000-10000"}}""", "trim")]
    [InlineData("""{"source": {"url": "http://x/y.mp4"}, "args": {"trim": "5000,0"}}""", "trim")]
    [InlineData("""{"source": {"url": "http://x/y.mp4"}, "args": "trim"}""", "args")]
    [InlineData("""{"args": {}}""", "source")]
    [InlineData("""{"source": "http://x/y.mp4"}""", "source")]
    [InlineData("""{"source": {}}""", "url")]
    [InlineData("""{"source": {"url": 42}}""", "url")]
    [InlineData("""{"source": {"url": "not a url"}}""", "absolute")]
    [InlineData("""{"source": {"url": "file:///etc/passwd"}}""", "http")]
    [InlineData("""{"source": {"url": "ftp://host/a.mp4"}}""", "http")]
    [InlineData("""{"source": {"url": "s3://s3.amazonaws.com/b/k.mp4", "api_key": "k", "api_secret": "s"}}""", "s3")]
    public async Task Bad_create_requests_are_refused_with_what_was_wrong(string parameters, string fragment)
    {
        AssertError(await _client.CallAsync("/api2/cloudslicer/jobs/create", JsonNode.Parse(parameters)!.AsObject()), fragment);
        Assert.Empty((await _client.CallAsync("/api2/cloudslicer/jobs/list"))["jobs"]!.AsArray());
    }

    [Fact]
    public async Task Get_returns_the_job_and_another_owners_job_is_not_found()
    {
        var job = await CreateAsync();
        var id = job["id"]!.GetValue<string>();
        var got = await _client.CallAsync("/api2/cloudslicer/jobs/get", new { id });
        Assert.Equal(job.ToJsonString(), got["job"]!.ToJsonString());

        var stranger = await _server.NewOwnerClientAsync();
        AssertError(await stranger.CallAsync("/api2/cloudslicer/jobs/get", new { id }), "Not found");
        AssertError(await stranger.CallAsync("/api2/cloudslicer/jobs/cancel", new { id }), "Not found");
        var delete = await stranger.CallAsync("/api2/cloudslicer/jobs/delete", new { ids = new[] { id } });
        Assert.Equal($$"""[["{{id}}","Not found"]]""", delete["actions"]!.ToJsonString());
        AssertError(await _client.CallAsync("/api2/cloudslicer/jobs/get", new { id = "0dce9166be404672a7dd0d28d7257587" }), "Not found");
        AssertError(await _client.CallAsync("/api2/cloudslicer/jobs/get"), "id");
        AssertError(await _client.CallAsync("/api2/cloudslicer/jobs/get", new { id = 5 }), "id");
    }

    [Fact]
    public async Task List_is_newest_first_with_limit_and_skip_and_only_the_callers_jobs()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await CreateAsync())["id"]!.GetValue<string>());
        }

        await CreateAsync(client: await _server.NewOwnerClientAsync());
        ids.Reverse();

        static IEnumerable<string> Ids(JsonObject r) => r["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>());
        Assert.Equal(ids, Ids(await _client.CallAsync("/api2/cloudslicer/jobs/list")));
        Assert.Equal(ids.Take(3), Ids(await _client.CallAsync("/api2/cloudslicer/jobs/list", new { limit = 3 })));
        Assert.Equal(ids.Skip(3), Ids(await _client.CallAsync("/api2/cloudslicer/jobs/list", new { limit = 3, skip = 3 })));
        Assert.Equal(ids.Skip(1).Take(2), Ids(await _client.CallAsync("/api2/cloudslicer/jobs/list", new { limit = "2", skip = "1" })));
        Assert.Equal(ids, Ids(await _client.CallAsync("/api2/cloudslicer/jobs/list", new { limit = 500 })));
        AssertError(await _client.CallAsync("/api2/cloudslicer/jobs/list", new { limit = "lots" }), "limit");
        AssertError(await _client.CallAsync("/api2/cloudslicer/jobs/list", new { skip = -1 }), "skip");
    }

    [Fact]
    public async Task Delete_reports_an_action_per_id_and_refuses_assigned_jobs()
    {
        var waiting = (await CreateAsync())["id"]!.GetValue<string>();
        var assigned = (await CreateAsync())["id"]!.GetValue<string>();
        var queue = _server.Service<IJobQueue>();
        var claimed = await queue.TryClaimAsync("test-slicer", default);
        var claimedId = claimed!.Job.Id;
        var stillWaiting = claimedId == waiting ? assigned : waiting;

        var response = await _client.CallAsync("/api2/cloudslicer/jobs/delete", new { ids = new[] { "1234", stillWaiting, claimedId } });
        var actions = response["actions"]!.AsArray();
        Assert.Equal("""["1234","Not found"]""", actions[0]!.ToJsonString());
        Assert.Equal($$"""["{{stillWaiting}}","deleted"]""", actions[1]!.ToJsonString());
        Assert.Equal(claimedId, actions[2]![0]!.GetValue<string>());
        Assert.Contains("assigned", actions[2]![1]!.GetValue<string>(), StringComparison.Ordinal);
        AssertError(await _client.CallAsync("/api2/cloudslicer/jobs/get", new { id = stillWaiting }), "Not found");

        AssertError(await _client.CallAsync("/api2/cloudslicer/jobs/delete"), "ids");
        AssertError(await _client.CallAsync("/api2/cloudslicer/jobs/delete", new { ids = new object[] { 1, 2 } }), "ids");
    }

    [Fact]
    public async Task Cancel_moves_waiting_and_assigned_jobs_to_cancelled_but_not_finished_ones()
    {
        var first = (await CreateAsync())["id"]!.GetValue<string>();
        var cancelled = await _client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id = first });
        Assert.Equal("cancelled", cancelled["job"]!["state"]!.GetValue<string>());
        AssertError(await _client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id = first }), "already cancelled");

        await CreateAsync();
        var queue = _server.Service<IJobQueue>();
        var claimed = await queue.TryClaimAsync("test-slicer", default);
        var running = await _client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id = claimed!.Job.Id });
        Assert.Equal("cancelled", running["job"]!["state"]!.GetValue<string>());
        Assert.Equal(LeaseStatus.CancelRequested, await queue.HeartbeatAsync(claimed.Lease, new JobProgress("Slicing 1%", 1), default));

        var deleted = await _client.CallAsync("/api2/cloudslicer/jobs/delete", new { ids = new[] { first } });
        Assert.Equal($$"""[["{{first}}","deleted"]]""", deleted["actions"]!.ToJsonString());
    }

    [Fact]
    public async Task Source_url_credentials_are_never_echoed_but_kept_for_the_slicer()
    {
        const string real = "https://reader:hunter2@media.example.com/v.mp4?X-Amz-Signature=abc123&x-amz-credential=AKIA%2F1&Token=t0k&quality=hd&sig=s1";
        const string shown = "https://reader@media.example.com/v.mp4?X-Amz-Signature=REDACTED&x-amz-credential=REDACTED&Token=REDACTED&quality=hd&sig=REDACTED";
        var created = await _client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = real } });
        var id = created["job"]!["id"]!.GetValue<string>();
        var got = await _client.CallAsync("/api2/cloudslicer/jobs/get", new { id });
        var listed = await _client.CallAsync("/api2/cloudslicer/jobs/list");

        Assert.Equal(shown, created["job"]!["source"]!["url"]!.GetValue<string>());
        Assert.Equal(shown, got["job"]!["source"]!["url"]!.GetValue<string>());
        Assert.Equal(shown, listed["jobs"]![0]!["source"]!["url"]!.GetValue<string>());
        foreach (var echoed in new[] { created.ToJsonString(), got.ToJsonString(), listed.ToJsonString() })
        {
            Assert.DoesNotContain("hunter2", echoed, StringComparison.Ordinal);
            Assert.DoesNotContain("abc123", echoed, StringComparison.Ordinal);
            Assert.DoesNotContain("t0k", echoed, StringComparison.Ordinal);
        }

        // The slicer gets the URL exactly as sent, from the never-echoed secrets column.
        var claimed = await _server.Service<IJobQueue>().TryClaimAsync("test-slicer", default);
        Assert.Equal(real, JsonNode.Parse(claimed!.Job.SecretsJson!)!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_source_url_without_credentials_is_echoed_as_sent()
    {
        const string plain = "https://media.example.com/a%20b/v.mp4?quality=hd&start=10#t=5";
        var created = await _client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = plain } });
        Assert.Equal(plain, created["job"]!["source"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_huge_id_is_never_echoed_whole()
    {
        var id = new string('7', 100_000);
        var responses = new[]
        {
            await _client.CallAsync("/api2/cloudslicer/jobs/get", new { id }),
            await _client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id }),
            await _client.CallAsync("/api2/cloudslicer/jobs/delete", new { ids = new[] { id } }),
            await _client.CallAsync("/api2/cloudslicer/jobs/get", new { id = new { nested = id } }),
            await _client.CallAsync("/api2/cloudslicer/jobs/list", new { limit = id }),
            await _client.CallAsync("/api2/cloudslicer/jobs/delete", new { ids = new object[] { new[] { id } } }),
            await _client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = "https://x/y.mp4" }, args = new { max_slices = id } }),
        };

        foreach (var response in responses)
        {
            var text = response.ToJsonString();
            Assert.InRange(text.Length, 1, 1000);
            Assert.Contains("7777", text, StringComparison.Ordinal);
            Assert.Contains("\\u2026", text, StringComparison.Ordinal);   // the ellipsis that marks the cut
        }

        Assert.Equal("Not found", responses[2]["actions"]![0]![1]!.GetValue<string>());
        var badUrl = await _client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = new string('7', 5000) } });
        Assert.InRange(badUrl.ToJsonString().Length, 1, 1000);
    }

    [Fact]
    public async Task Get_requests_with_the_query_string_work_like_posts()
    {
        var id = (await CreateAsync())["id"]!.GetValue<string>();
        _client.UseGet = true;
        var got = await _client.CallAsync("/api2/cloudslicer/jobs/get", new { id });
        Assert.Equal(id, got["job"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Jobs_survive_a_server_restart()
    {
        var id = (await CreateAsync(new { trim = "1000" }))["id"]!.GetValue<string>();
        var data = _server.DataDirectory;
        await _server.StopAsync();

        _server = await ApiServer.StartAsync(data);
        var client = new Api2Client(_server.Http, _client.Owner, _client.Secret);
        var got = await client.CallAsync("/api2/cloudslicer/jobs/get", new { id });
        Assert.Equal("""{"trim":"1000"}""", got["job"]!["args"]!.ToJsonString());
    }

    [Fact]
    public async Task The_server_erases_finished_jobs_after_the_configured_retention()
    {
        await _server.DisposeAsync();
        _server = await ApiServer.StartAsync(settings: new Dictionary<string, string?> { ["Queue:Retention"] = "00:00:01" });
        _client = await _server.NewOwnerClientAsync();
        var kept = (await CreateAsync())["id"]!.GetValue<string>();
        var cancelled = (await CreateAsync())["id"]!.GetValue<string>();
        await _client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id = cancelled });

        // The maintenance loop runs every 5 s; waiting jobs are never erased.
        await Eventually.UntilAsync(
            () => _client.CallAsync("/api2/cloudslicer/jobs/get", new { id = cancelled }),
            r => r["error"]!.GetValue<int>() == 1,
            TimeSpan.FromSeconds(30),
            "the cancelled job to be erased");
        var stillThere = await _client.CallAsync("/api2/cloudslicer/jobs/get", new { id = kept });
        Assert.Equal("waiting", stillThere["job"]!["state"]!.GetValue<string>());
    }
}
