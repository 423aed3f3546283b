using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>Nothing is lost across restarts: queued jobs wait for the next start, and a crashed slicer's job is retried.</summary>
public sealed class DurabilityTests(Sources sources) : IClassFixture<Sources>
{
    [Fact]
    public async Task Jobs_queued_before_a_restart_are_all_done_after_it()
    {
        using var data = new TempDirectory();
        string owner, secret;
        var ids = new List<string>();
        await using (var apiOnly = await ServerProcess.StartAsync(data.Path, null, "--slicers", "0"))
        {
            (owner, secret) = (apiOnly.Owner!, apiOnly.Secret!);
            using var http = new HttpClient { BaseAddress = new Uri(apiOnly.Url) };
            var client = new Api2Client(http, owner, secret);
            for (var i = 0; i < 3; i++)
            {
                ids.Add(await client.CreateAsync(sources.Url("clip.mp4"), new { trim = "0,3000" }));
            }

            await apiOnly.StopAsync();
        }

        await using var server = await ServerProcess.StartAsync(data.Path, null, "--slicers", "2", "--public-url", "https://cdn.example.test/");
        Assert.Null(server.Owner);   // the store is not empty: no new first owner
        using var http2 = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client2 = new Api2Client(http2, owner, secret);
        foreach (var id in ids)
        {
            var (job, _) = await client2.WaitFinishedAsync(id, TimeSpan.FromMinutes(2));
            Assert.Equal("done", job["state"]!.GetValue<string>());
            Assert.Equal(1, job["attempts"]!.GetValue<int>());
            Assert.Equal($"https://cdn.example.test/{job["asset"]}.m3u8", job["playback_url"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_job_whose_server_crashed_mid_slice_is_retried_and_done_after_restart()
    {
        using var data = new TempDirectory();
        var (owner, secret, id) = await InterruptMidSliceAsync(data.Path, server =>
        {
            server.Crash();
            return Task.CompletedTask;
        });

        var (job, seen) = await WaitFinishedAfterRestartAsync(data.Path, owner, secret, id);
        Assert.Equal("done", job["state"]!.GetValue<string>());
        Assert.Equal(2, job["attempts"]!.GetValue<int>());   // the crashed attempt counts
        Assert.Contains(seen, s => s.State == "assigned");
    }

    [Fact]
    public async Task A_clean_stop_mid_slice_hands_the_job_back_without_spending_an_attempt()
    {
        using var data = new TempDirectory();
        var (owner, secret, id) = await InterruptMidSliceAsync(data.Path, async server =>
        {
            await server.StopAsync();   // SIGTERM
            Assert.Empty(ProcessScan.FfmpegMentioning(data.Path));
        });

        var (job, _) = await WaitFinishedAfterRestartAsync(data.Path, owner, secret, id);
        Assert.Equal("done", job["state"]!.GetValue<string>());
        Assert.Equal(1, job["attempts"]!.GetValue<int>());   // the interrupted attempt was given back
    }

    /// <summary>Starts a server with a slow preset, creates a job, and once it is slicing, interrupts the server.</summary>
    private async Task<(string Owner, string Secret, string Id)> InterruptMidSliceAsync(string data, Func<CloudSlicerProcess, Task> interrupt)
    {
        var slow = new Dictionary<string, string> { ["CLOUDSLICER_Media__X264Preset"] = "veryslow" };
        await using var server = await ServerProcess.StartAsync(data, slow);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client = new Api2Client(http, server.Owner!, server.Secret!);
        var id = await client.CreateAsync(sources.Url("long.mp4"), new { trim = "0,8000" });
        await Eventually.UntilAsync(
            () => client.GetJobAsync(id),
            j => j["progress"]!.GetValue<string>().StartsWith("Slicing", StringComparison.Ordinal),
            TimeSpan.FromMinutes(1),
            "the job to be slicing");
        await interrupt(server);
        return (server.Owner!, server.Secret!, id);
    }

    private static async Task<(System.Text.Json.Nodes.JsonObject Job, IReadOnlyList<(string State, string Progress)> Seen)> WaitFinishedAfterRestartAsync(
        string data, string owner, string secret, string id)
    {
        await using var server = await ServerProcess.StartAsync(data);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        return await new Api2Client(http, owner, secret).WaitFinishedAsync(id, TimeSpan.FromMinutes(2));
    }
}
