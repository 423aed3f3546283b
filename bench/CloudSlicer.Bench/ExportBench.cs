using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.Bench;

/// <summary>
/// <c>make bench-export</c>: slices the source once, then times <c>/jobs/create_export</c> (create to done, polled)
/// against the bare commands that make the same AAC-LC file from the same stored slices (cat the slices, ffmpeg
/// encodes the audio, ffmpeg muxes), interleaved; HE-AAC exports are timed alone (ffmpeg has no HE-AAC encoder).
/// Prints the markdown section for docs/benchmarks.md.
/// </summary>
internal static class ExportBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var root = BenchHost.FindRoot(options.Root);
        var executable = Path.Combine(root, "dist", "cloudslicer");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} does not exist; run `make build` first (`make bench-export` does)");
        }

        var machine = await Machine.DescribeAsync();
        var outDirectory = Path.Combine(root, "bench", "out");
        var source = await SourceClip.EnsureAsync(outDirectory, options.Seconds, ct);
        var temp = Directory.CreateTempSubdirectory("cloudslicer-bench-export-");
        try
        {
            await using var files = await LoopbackFileServer.StartAsync(outDirectory);
            var dataDirectory = Path.Combine(temp.FullName, "data");
            await using var server = await Server.StartAsync(executable, dataDirectory, ct);
            using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromMinutes(2) };
            var client = new Api2Client(http, server.Owner!, server.Secret!);
            var jobs = new Jobs(client);
            var poll = TimeSpan.FromMilliseconds(options.PollMilliseconds);

            var sliced = await WaitDoneAsync(jobs, await jobs.CreateAsync(files.UrlOf(Path.GetFileName(source)), ct), poll, ct);
            var asset = sliced["asset"]!.GetValue<string>();
            var record = (await client.CallAsync("/api2/asset/get", new { id = asset }, ct))["asset"]!;
            var top = record["rays"]!.AsArray()[^1]!["name"]!.GetValue<string>();
            var duration = record["duration"]!.GetValue<double>();
            var stored = Path.Combine(dataDirectory, "blobs", "assets", asset, "v1");
            Console.WriteLine(string.Create(Inv, $"Asset {asset}: {duration:0.###} s, top ray {top}; {machine.Cores} cores; load {Machine.LoadAverage()}"));

            var rows = new List<(double Lc, double Bare, double He)>();
            for (var i = 1; i <= options.Pairs; i++)
            {
                var bare = await BareAsync(stored, top, duration, Path.Combine(temp.FullName, $"bare-{i}"), ct);
                var lc = await ExportAsync(client, jobs, asset, aacLc: true, poll, ct);
                var he = await ExportAsync(client, jobs, asset, aacLc: false, poll, ct);
                rows.Add((lc, bare, he));
                Console.WriteLine(string.Create(Inv, $"pair {i}: CloudSlicer AAC-LC {lc:0.00} s, bare ffmpeg {bare:0.00} s, CloudSlicer HE-AAC {he:0.00} s"));
            }

            Console.WriteLine();
            Console.WriteLine(Section(machine, options, duration, rows));
            return 0;
        }
        finally
        {
            if (!options.Keep)
            {
                BenchHost.TryDelete("scratch", temp.FullName);
            }
        }
    }

    private static async Task<double> ExportAsync(Api2Client client, Jobs jobs, string asset, bool aacLc, TimeSpan poll, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var created = await client.CallAsync("/api2/cloudslicer/jobs/create_export", aacLc ? new { asset, aaclc = 1 } : (object)new { asset }, ct);
        var id = created["job"]?["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"create_export failed: {created.ToJsonString()}");
        await WaitDoneAsync(jobs, id, poll, ct);
        return clock.Elapsed.TotalSeconds;
    }

    internal static async Task<JsonObject> WaitDoneAsync(Jobs jobs, string id, TimeSpan poll, CancellationToken ct)
    {
        while (true)
        {
            var job = await jobs.GetAsync(id, ct);
            switch (job.State())
            {
                case "done":
                    return job;
                case "error" or "cancelled":
                    throw new InvalidOperationException($"job {id} ended {job.State()}: {job.ToJsonString()}");
            }

            await Task.Delay(poll, ct);
        }
    }

    /// <summary>The same file by hand: join the stored slices, encode the audio with ffmpeg's aac, mux with the index first.</summary>
    private static async Task<double> BareAsync(string stored, string top, double duration, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var clock = Stopwatch.StartNew();
        await JoinAsync(Path.Combine(stored, top), Path.Combine(directory, "video.mp4"), ct);
        await JoinAsync(Path.Combine(stored, "audio"), Path.Combine(directory, "audio.mp4"), ct);
        var seconds = duration.ToString("0.###", Inv);
        await MediaClips.RunAsync(Tools.Ffmpeg,
            ["-nostdin", "-loglevel", "error", "-y", "-seek_timestamp", "1", "-ss", "0", "-i", Path.Combine(directory, "audio.mp4"), "-t", seconds,
             "-ac", "2", "-ar", "48000", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", Path.Combine(directory, "audio.m4a")], ct);
        await MediaClips.RunAsync(Tools.Ffmpeg,
            ["-nostdin", "-loglevel", "error", "-y", "-i", Path.Combine(directory, "video.mp4"), "-i", Path.Combine(directory, "audio.m4a"),
             "-map", "0:v:0", "-map", "1:a:0", "-c", "copy", "-movflags", "+faststart", Path.Combine(directory, "export.mp4")], ct);
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task JoinAsync(string rendition, string output, CancellationToken ct)
    {
        var joined = File.Create(output);
        await using (joined.ConfigureAwait(false))
        {
            foreach (var part in new[] { Path.Combine(rendition, "init.mp4") }.Concat(Directory.GetFiles(rendition, "seg_*.m4s").Order(StringComparer.Ordinal)))
            {
                var input = File.OpenRead(part);
                await using (input.ConfigureAwait(false))
                {
                    await input.CopyToAsync(joined, ct);
                }
            }
        }
    }

    private static string Section(Machine machine, BenchOptions options, double duration, List<(double Lc, double Bare, double He)> rows)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        var text = new StringBuilder()
            .Append("## Export: CloudSlicer vs the bare ffmpeg commands\n\n")
            .Append(Inv, $"`make bench-export ARGS=\"--seconds {options.Seconds} --pairs {options.Pairs}\"`: a {duration:0.###} s 1080p30 asset, ")
            .Append(Inv, $"{machine.Cores} cores ({machine.CpuModel}), load {Machine.LoadAverage()} at the end.\n")
            .Append("CloudSlicer: `/jobs/create_export` created to done (polled), from the blob store to the published version.\n")
            .Append("Bare: `cat` the top ray's and the audio's stored slices, `ffmpeg -c:a aac` the audio, `ffmpeg -c copy +faststart` the MP4.\n\n")
            .Append("| pair | CloudSlicer AAC-LC (s) | bare ffmpeg AAC-LC (s) | CloudSlicer HE-AAC (s) |\n|---|---|---|---|\n");
        for (var i = 0; i < rows.Count; i++)
        {
            text.Append(Inv, $"| {i + 1} | {rows[i].Lc:0.00} | {rows[i].Bare:0.00} | {rows[i].He:0.00} |\n");
        }

        return text.Append(Inv, $"| median | {Median(rows.Select(r => r.Lc)):0.00} | {Median(rows.Select(r => r.Bare)):0.00} | {Median(rows.Select(r => r.He)):0.00} |\n").ToString();
    }
}
