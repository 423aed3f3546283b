using System.Diagnostics;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>Cancel reaches a running slicer: its ffmpeg is killed and nothing of the attempt is left.</summary>
public sealed class CancelTests(Sources sources) : IClassFixture<Sources>
{
    // A slow preset and a 720p ray keep ffmpeg busy long enough to be caught mid-slice on any machine.
    private static readonly Dictionary<string, string> Slow = new()
    {
        ["CLOUDSLICER_Media__X264Preset"] = "veryslow",
        ["CLOUDSLICER_Slicer__Ladder__2__Height"] = "720",
        ["CLOUDSLICER_Slicer__Ladder__2__VideoKbps"] = "3000",
    };

    [Fact]
    public async Task Cancel_of_a_running_job_kills_its_ffmpeg_and_removes_partial_output()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, Slow);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client = new Api2Client(http, server.Owner!, server.Secret!);

        var id = await client.CreateAsync(sources.Url("long.mp4"));
        var slicing = await Eventually.UntilAsync(
            () => client.GetJobAsync(id),
            j => j["progress"]!.GetValue<string>().StartsWith("Slicing", StringComparison.Ordinal),
            TimeSpan.FromMinutes(1),
            "the job to be slicing");
        Assert.Equal("assigned", slicing["state"]!.GetValue<string>());
        Assert.Matches(@"^Slicing \d+%$", slicing["progress"]!.GetValue<string>());
        // "Slicing" is reported just before ffmpeg is started, so it may not be in /proc yet: wait for it.
        await Eventually.UntilAsync(() => Task.FromResult(ProcessScan.FfmpegMentioning(data.Path)), p => p.Count > 0, TimeSpan.FromSeconds(20), "ffmpeg to start");

        var stopwatch = Stopwatch.StartNew();
        var cancelled = await client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id });
        Assert.Equal(0, cancelled["error"]!.GetValue<int>());
        Assert.Equal("cancelled", cancelled["job"]!["state"]!.GetValue<string>());

        await Eventually.UntilAsync(() => Task.FromResult(ProcessScan.FfmpegMentioning(data.Path)), p => p.Count == 0, TimeSpan.FromSeconds(20), "ffmpeg to stop");
        stopwatch.Stop();   // reported, not asserted: bench/ measures the figure
        Console.WriteLine($"cancel to ffmpeg gone: {stopwatch.ElapsedMilliseconds} ms");

        await Eventually.UntilAsync(
            () => Task.FromResult(WorkFiles.Count(data.Path)),
            n => n == 0, TimeSpan.FromSeconds(20), "the work directory to be removed");
        var blobs = Path.Combine(data.Path, "blobs", "assets");
        Assert.False(Directory.Exists(blobs) && Directory.EnumerateFileSystemEntries(blobs).Any(), "no asset may be published");

        var after = await client.GetJobAsync(id);
        Assert.Equal("cancelled", after["state"]!.GetValue<string>());
        Assert.Null(after["asset"]);

        var again = await client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id });
        Assert.Equal(1, again["error"]!.GetValue<int>());
        Assert.Contains("already cancelled", again["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
