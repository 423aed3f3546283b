using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// Long sources split into parts (docs/parts.md) on a real <c>cloudslicer serve</c>: parts are encoded by every
/// slicer, joined into one asset whose frames and audio run on without a seam, cancelled with their job, retried
/// alone when one fails, and a single slicer does the same alone.
/// </summary>
public sealed partial class SplitSourceTests(SplitSources sources) : IClassFixture<SplitSources>
{
    private const double Fps = 30;

    // 25 s in parts of two slices: three parts (the last takes the 8.6 s left).
    private static readonly Dictionary<string, string> Split = new()
    {
        ["CLOUDSLICER_Slicer__PartSeconds"] = "8.192",
        ["Logging__LogLevel__CloudSlicer.Slicer.SlicerService"] = "Information",
    };

    // A slow preset and a 720p ray keep each part's ffmpeg busy long enough to be caught mid-slice.
    private static readonly Dictionary<string, string> SlowSplit = new(Split)
    {
        ["CLOUDSLICER_Media__X264Preset"] = "veryslow",
        ["CLOUDSLICER_Slicer__Ladder__2__Height"] = "720",
        ["CLOUDSLICER_Slicer__Ladder__2__VideoKbps"] = "3000",
    };

    [Fact]
    public async Task A_long_source_is_split_across_two_slicers_and_joined_into_one_seamless_asset()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, Split, "--slicers", "2");
        var client = Client(server);

        var id = await client.CreateAsync(sources.Url("long.mp4"));
        var (job, seen) = await client.WaitFinishedAsync(id, TimeSpan.FromMinutes(3));

        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        Assert.Equal(1, job["attempts"]!.GetValue<int>());
        var parts = PartClaims(server);
        Assert.Equal(3, parts.Select(p => p.Job).Distinct().Count());
        Assert.Equal(2, parts.Select(p => p.Slicer).Distinct().Count());
        Assert.Contains(seen, s => s.Progress.StartsWith("Slicing", StringComparison.Ordinal));

        var asset = job["asset"]!.GetValue<string>();
        await AssertSeamlessAsync(data.Path, asset, sources.Seconds);
        Assert.Equal(sources.Seconds, await MediaClips.ProbeDurationAsync(job["playback_url"]!.GetValue<string>()), precision: 0);
        // The list never shows a part, and what only the parts needed is gone.
        var listed = await client.CallAsync("/api2/cloudslicer/jobs/list", new { });
        Assert.Equal([id], listed["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
        Assert.False(Directory.Exists(Path.Combine(data.Path, "blobs", "parts")) && Directory.EnumerateFileSystemEntries(Path.Combine(data.Path, "blobs", "parts")).Any());
    }

    [Fact]
    public async Task One_slicer_encodes_every_part_itself_and_the_asset_is_the_same_length_and_seamless()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, Split, "--slicers", "1");
        var client = Client(server);

        var id = await client.CreateAsync(sources.Url("long.mp4"));
        var (job, _) = await client.WaitFinishedAsync(id, TimeSpan.FromMinutes(3));

        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        var parts = PartClaims(server);
        Assert.Equal(3, parts.Select(p => p.Job).Distinct().Count());
        Assert.Single(parts.Select(p => p.Slicer).Distinct());
        await AssertSeamlessAsync(data.Path, job["asset"]!.GetValue<string>(), sources.Seconds);
    }

    [Fact]
    public async Task Cancel_of_a_split_job_stops_every_part_and_leaves_nothing()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, SlowSplit, "--slicers", "2");
        var client = Client(server);

        var id = await client.CreateAsync(sources.Url("long720.mp4"));
        // Both slicers busy with parts: two ffmpeg processes writing part slices.
        await Eventually.UntilAsync(() => Task.FromResult(PartFfmpegs(data.Path)), p => p.Count >= 2, TimeSpan.FromMinutes(1), "two parts to be slicing");

        var cancelled = await client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id });
        Assert.Equal("cancelled", cancelled["job"]!["state"]!.GetValue<string>());

        await Eventually.UntilAsync(() => Task.FromResult(ProcessScan.FfmpegMentioning(data.Path)), p => p.Count == 0, TimeSpan.FromSeconds(20), "every ffmpeg to stop");
        var blobs = Path.Combine(data.Path, "blobs");
        await Eventually.UntilAsync(
            () => Task.FromResult(StoredFiles(blobs)),
            n => n == 0, TimeSpan.FromSeconds(20), "the parts' slices and the shared source to be removed");
        Assert.Equal("cancelled", (await client.GetJobAsync(id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_part_whose_ffmpeg_is_killed_is_retried_alone_and_the_job_still_ends_done()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, SlowSplit, "--slicers", "2");
        var client = Client(server);

        var id = await client.CreateAsync(sources.Url("long720.mp4"));
        var victims = await Eventually.UntilAsync(
            () => Task.FromResult(PartFfmpegs(data.Path)), p => p.Count >= 1, TimeSpan.FromMinutes(1), "a part to be slicing");
        // The transient fault: one part's ffmpeg dies (as on an out-of-memory kill); the part's attempt fails.
        Process.GetProcessById(victims[0]).Kill();

        var (job, _) = await client.WaitFinishedAsync(id, TimeSpan.FromMinutes(5));

        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        Assert.Equal(1, job["attempts"]!.GetValue<int>());   // the job itself was not retried
        var parts = PartClaims(server);
        var retried = Assert.Single(parts.GroupBy(p => p.Job), g => g.Count() > 1);
        Assert.Equal([1, 2], retried.Select(p => p.Attempt));
        Assert.Equal(3, parts.Select(p => p.Job).Distinct().Count());
        await AssertSeamlessAsync(data.Path, job["asset"]!.GetValue<string>(), sources.Seconds);
    }

    // Every file of the blob store, but not the work directory inside it: the server's own work folder holds its
    // lock file for as long as the server runs.
    private static int StoredFiles(string blobs) =>
        Directory.Exists(blobs)
            ? Directory.GetFiles(blobs, "*", SearchOption.AllDirectories).Count(f => !Path.GetRelativePath(blobs, f).StartsWith(".work", StringComparison.Ordinal))
            : 0;

    /// <summary>This server's ffmpeg processes that encode a part (only a part's slices say where their fragments start).</summary>
    private static List<int> PartFfmpegs(string data) =>
        [.. ProcessScan.FfmpegMentioning(data).Intersect(ProcessScan.FfmpegMentioning("frag_discont"))];

    private static Api2Client Client(CloudSlicerProcess server) =>
        new(new HttpClient { BaseAddress = new Uri(server.Url) }, server.Owner!, server.Secret!);

    /// <summary>The parts claimed, in log order, from the slicers' "claimed job" lines.</summary>
    private static List<(string Slicer, string Job, int Attempt)> PartClaims(CloudSlicerProcess server) =>
        [.. server.Lines.Select(l => ClaimLine().Match(l.Text)).Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))];

    /// <summary>
    /// Every ray's slices, read back as one stream: every frame once, a frame's length apart across each join,
    /// a key frame at each slice; the audio rendition without a gap; both as long as the source.
    /// </summary>
    private static async Task AssertSeamlessAsync(string data, string asset, double seconds)
    {
        var version = Path.Combine(data, "blobs", "assets", asset, "v1");
        var rays = Directory.GetDirectories(version).Select(Path.GetFileName).Where(n => n != "audio").ToList();
        Assert.NotEmpty(rays);
        foreach (var ray in rays.Append("audio"))
        {
            var dir = Path.Combine(version, ray!);
            var joined = Path.Combine(data, $"{ray}-joined.mp4");
            await using (var output = File.Create(joined))
            {
                foreach (var file in Directory.GetFiles(dir, "seg_*.m4s").Order(StringComparer.Ordinal).Prepend(Path.Combine(dir, "init.mp4")))
                {
                    await using var input = File.OpenRead(file);
                    await input.CopyToAsync(output);
                }
            }

            var audio = ray == "audio";
            var packets = (await MediaClips.ProbePacketsAsync(joined, audio ? "a:0" : "v:0")).OrderBy(p => p.Time).ToList();
            var step = audio ? 1024 / 48000.0 : 1 / Fps;
            var gaps = packets.Zip(packets.Skip(1), (a, b) => b.Time - a.Time).ToList();
            Assert.All(gaps, g => Assert.InRange(g, step - 0.002, step + 0.002));
            Assert.InRange(packets[^1].Time + step - Math.Max(0, packets[0].Time), seconds - 0.1, seconds + 0.1);
            if (!audio)
            {
                Assert.Equal((int)(seconds * Fps), packets.Count);
                var keys = packets.Where(p => p.IsKey).Select(p => p.Time).ToList();
                Assert.Equal(Directory.GetFiles(dir, "seg_*.m4s").Length, keys.Count);
                Assert.All(keys.Select((t, i) => t - (i * 4.096)), d => Assert.InRange(d, 0, 1 / Fps));
            }
        }
    }

    [GeneratedRegex(@"Slicer (\S+) claimed job ([0-9a-f]{32}) \(SlicePart\), attempt (\d+)")]
    private static partial Regex ClaimLine();
}

/// <summary>The long sources, served on loopback: 25 s at 30 fps with audio, small and 720p.</summary>
public sealed class SplitSources : IAsyncLifetime
{
    public double Seconds => 25;

    private readonly TempDirectory _dir = new();

    private LoopbackFileServer _server = null!;

    public string Url(string name) => _server.UrlOf(name);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir.Path);
        await MediaClips.GenerateAsync(Path.Combine(_dir.Path, "long.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(Seconds), Width = 640, Height = 360, FrameRate = Fps });
        await MediaClips.GenerateAsync(Path.Combine(_dir.Path, "long720.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(Seconds), Width = 1280, Height = 720, FrameRate = Fps });
        _server = await LoopbackFileServer.StartAsync(_dir.Path);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private const double Fps = 30;
}
