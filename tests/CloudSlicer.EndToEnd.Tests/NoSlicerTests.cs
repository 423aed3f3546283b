using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>A job that no running slicer can do waits, says so in its progress, and spends nothing.</summary>
public sealed class NoSlicerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_job_with_no_running_slicer_says_so_in_its_progress_and_spends_no_attempt()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, null, "--slicers", "0");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client = new Api2Client(http, server.Owner!, server.Secret!);

        // Never fetched: nothing here can claim it.
        var id = await client.CreateAsync("http://127.0.0.1:9/never-fetched.mp4");

        var job = await Eventually.UntilAsync(
            () => client.GetJobAsync(id),
            j => j["progress"]!.GetValue<string>().Length > 0,
            Deadline,
            "the waiting job to say why it waits");
        var progress = job["progress"]!.GetValue<string>();
        Assert.Contains("no running slicer", progress, StringComparison.Ordinal);
        Assert.Contains("create jobs", progress, StringComparison.Ordinal);
        Assert.Contains("cloudslicer serve --slicers", progress, StringComparison.Ordinal);
        Assert.Equal(("waiting", 0, "", 0L), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>(), job["last_error"]!.GetValue<string>(), job["last_start"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_slicer_started_in_another_process_takes_the_waiting_job()
    {
        using var data = new TempDirectory();
        await using var api = await ServerProcess.StartAsync(data.Path, null, "--slicers", "0");
        using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
        var client = new Api2Client(http, api.Owner!, api.Secret!);
        var id = await client.CreateAsync("http://127.0.0.1:9/refused.mp4");
        await Eventually.UntilAsync(
            () => client.GetJobAsync(id), j => j["progress"]!.GetValue<string>().Length > 0, Deadline, "the job to say no slicer runs");

        // A second process on the same store, with a slicer, takes the job (and fails it: port 9 refuses).
        await using var slicers = await ServerProcess.StartAsync(data.Path, null, "--slicers", "1");

        var tried = await Eventually.UntilAsync(
            () => client.GetJobAsync(id), j => j["state"]!.GetValue<string>() == "error", Deadline, "the other process's slicer to take the job");
        Assert.Equal((2, ""), (tried["attempts"]!.GetValue<int>(), tried["progress"]!.GetValue<string>()));   // both attempts its own
        Assert.NotEqual("", tried["last_error"]!.GetValue<string>());
    }
}
