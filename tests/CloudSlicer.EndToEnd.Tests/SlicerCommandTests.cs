using System.Net;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// The scaled-out shape on one machine: <c>serve --slicers 0</c> (API and content only) and separate
/// <c>cloudslicer slicer</c> processes sharing its SQLite file (<c>--db</c>) and blob directory (<c>--blobs</c>).
/// </summary>
public sealed class SlicerCommandTests(Sources sources) : IClassFixture<Sources>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_job_created_on_an_api_only_serve_is_sliced_by_a_slicer_process_and_plays_from_serve()
    {
        using var shared = new TempDirectory();
        using var slicerData = new TempDirectory();
        var stores = Stores(shared.Path);
        await using var api = await ServerProcess.StartAsync(Path.Combine(shared.Path, "api"), null, ["--slicers", "0", .. stores]);
        using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
        var client = new Api2Client(http, api.Owner!, api.Secret!);

        var id = await client.CreateAsync(sources.Url("clip.mp4"), new { trim = "0,3000" });

        // serve --slicers 0 runs none: the job waits, says why, and spends nothing.
        var waiting = await Eventually.UntilAsync(
            () => client.GetJobAsync(id), j => j["progress"]!.GetValue<string>().Length > 0, Deadline, "the job to say no slicer runs");
        Assert.Equal(("waiting", 0), (waiting["state"]!.GetValue<string>(), waiting["attempts"]!.GetValue<int>()));
        Assert.Contains("no running slicer", waiting["progress"]!.GetValue<string>(), StringComparison.Ordinal);

        await using var slicer = await SlicerProcess.StartAsync(slicerData.Path, null, ["--count", "1", .. stores]);
        Assert.StartsWith("CloudSlicer slicer is running 1 slicers as ", slicer.ReadyLine, StringComparison.Ordinal);

        var (job, _) = await client.WaitFinishedAsync(id, Deadline);
        Assert.Equal(("done", 1), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));

        var master = $"{api.Url}/{job["asset"]!.GetValue<string>()}.m3u8";
        using var playlist = await http.GetAsync(master);
        Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
        Assert.StartsWith("#EXTM3U", await playlist.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange(await Media.ProbeDurationAsync(master), 2.5, 3.5);
        Assert.Equal(["audio", "video"], (await Media.ProbeStreamTypesAsync(master)).Distinct().Order());
        Assert.False(Directory.Exists(Path.Combine(slicerData.Path, "blobs")));   // it published into --blobs, not its own data
    }

    [Fact]
    public async Task A_sigterm_hands_the_slicers_job_back_unspent_and_another_slicer_process_finishes_it()
    {
        using var shared = new TempDirectory();
        using var firstData = new TempDirectory();
        using var secondData = new TempDirectory();
        var stores = Stores(shared.Path);
        await using var api = await ServerProcess.StartAsync(Path.Combine(shared.Path, "api"), null, ["--slicers", "0", .. stores]);
        using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
        var client = new Api2Client(http, api.Owner!, api.Secret!);

        var slow = new Dictionary<string, string> { ["CLOUDSLICER_Media__X264Preset"] = "veryslow" };
        await using var first = await SlicerProcess.StartAsync(firstData.Path, slow, ["--count", "1", .. stores]);
        var id = await client.CreateAsync(sources.Url("long.mp4"), new { trim = "0,8000" });
        var slicing = await Eventually.UntilAsync(
            () => client.GetJobAsync(id),
            j => j["progress"]!.GetValue<string>().StartsWith("Slicing", StringComparison.Ordinal),
            Deadline,
            "the first slicer process to be slicing");
        Assert.StartsWith(first.SlicerIdPrefix + ":", slicing["slicer"]!.GetValue<string>(), StringComparison.Ordinal);
        await Eventually.UntilAsync(
            () => Task.FromResult(ProcessScan.FfmpegMentioning(shared.Path)), p => p.Count > 0, Deadline, "ffmpeg to run in the shared work directory");

        Assert.Equal(0, await first.StopAsync());   // SIGTERM: exits cleanly, not killed after a timeout

        var handedBack = await client.GetJobAsync(id);
        Assert.Equal(("waiting", 0, ""), (handedBack["state"]!.GetValue<string>(), handedBack["attempts"]!.GetValue<int>(), handedBack["last_error"]!.GetValue<string>()));
        Assert.Empty(ProcessScan.FfmpegMentioning(shared.Path));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(shared.Path, "blobs", ".work")));   // its work folder went with it

        await using var second = await SlicerProcess.StartAsync(secondData.Path, null, ["--count", "1", .. stores]);
        var (job, _) = await client.WaitFinishedAsync(id, Deadline);
        Assert.Equal(("done", 1), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        using var playlist = await http.GetAsync($"/{job["asset"]!.GetValue<string>()}.m3u8");
        Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
    }

    [Fact]
    public async Task The_health_port_and_the_ready_file_say_ready_while_the_slicers_run_and_go_when_they_stop()
    {
        using var shared = new TempDirectory();
        using var slicerData = new TempDirectory();
        var readyFile = Path.Combine(shared.Path, "run", "slicer.ready");
        await using var slicer = await SlicerProcess.StartAsync(
            slicerData.Path, null, ["--count", "2", "--health-urls", "http://127.0.0.1:0", "--ready-file", readyFile, .. Stores(shared.Path)]);
        Assert.StartsWith("CloudSlicer slicer is running 2 slicers as ", slicer.ReadyLine, StringComparison.Ordinal);

        using var http = new HttpClient();
        using (var health = await http.GetAsync(slicer.HealthUrl))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.Equal($"{slicer.SlicerIdPrefix} 2\n", await File.ReadAllTextAsync(readyFile));

        Assert.Equal(0, await slicer.StopAsync());
        Assert.False(File.Exists(readyFile));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(slicer.HealthUrl));
    }

    [Fact]
    public async Task A_slicer_without_slicers_is_refused_with_one_line()
    {
        using var data = new TempDirectory();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => SlicerProcess.StartAsync(data.Path, null, "--count", "0"));
        Assert.Contains("cloudslicer: --count must be at least 1", ex.Message, StringComparison.Ordinal);
    }

    private static string[] Stores(string shared) =>
        ["--db", Path.Combine(shared, "cloudslicer.db"), "--blobs", Path.Combine(shared, "blobs")];
}
