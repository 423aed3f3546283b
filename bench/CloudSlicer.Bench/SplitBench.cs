using System.Diagnostics;
using System.Globalization;
using CloudSlicer.Testing;

namespace CloudSlicer.Bench;

/// <summary>
/// The cost of splitting (issue 8 item 7, docs/parts.md): the same source and ladder, timed from /jobs/create to
/// done, (a) by one <c>serve --slicers 1</c> using both cores on the whole source (Slicer:PartSeconds 0), and (b) by
/// an API-only <c>serve --slicers 0</c> plus two <c>serve --slicers 1</c> processes on the same data directory, each
/// pinned to one core with taskset (x264 then runs one thread, as a one-core machine would), the source cut into
/// parts. Interleaved pairs; the ratio is median over median. Prints its docs/benchmarks.md section.
/// </summary>
public static class SplitBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(SplitBenchOptions options, CancellationToken ct)
    {
        var root = BenchHost.FindRoot(options.Root);
        var executable = Path.Combine(root, "dist", "cloudslicer");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} does not exist; run `make build` first (`make bench-split` does)");
        }

        var machine = await Machine.DescribeAsync();
        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.CpuModel}; {machine.FfmpegVersion}; load {Machine.LoadAverage()}");
        var outDirectory = Path.Combine(root, "bench", "out");
        var source = await SourceClip.EnsureAsync(outDirectory, options.Seconds, ct);
        await using var files = await LoopbackFileServer.StartAsync(outDirectory);
        var url = files.UrlOf(Path.GetFileName(source));

        var whole = new List<double>();
        var split = new List<double>();
        for (var pair = 0; pair < options.Pairs; pair++)
        {
            whole.Add(await TimeWholeAsync(executable, url, ct));
            Console.WriteLine(string.Create(Inv, $"pair {pair + 1}: one slicer, both cores, whole source: {whole[^1]:0.00} s"));
            split.Add(await TimeSplitAsync(executable, url, options.PartSeconds, ct));
            Console.WriteLine(string.Create(Inv, $"pair {pair + 1}: two one-core slicers, parts of {options.PartSeconds} s: {split[^1]:0.00} s"));
        }

        var ratio = Median(split) / Median(whole);
        Console.WriteLine();
        Console.WriteLine("## Split cost (`make bench-split`)");
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv, $"{options.Seconds} s 1080p30 source, default ladder and preset; {machine.Cores} cores ({machine.CpuModel}), load {Machine.LoadAverage()} at the end."));
        Console.WriteLine();
        Console.WriteLine("| run | create → done (median) |");
        Console.WriteLine("|---|---|");
        Console.WriteLine(string.Create(Inv, $"| one slicer, both cores, whole source | {Median(whole):0.00} s |"));
        Console.WriteLine(string.Create(Inv, $"| two slicers pinned to one core each, parts of {options.PartSeconds} s | {Median(split):0.00} s |"));
        Console.WriteLine(string.Create(Inv, $"| **split / whole** | **{ratio:0.000}×** (goal ≤ 1.05×) |"));
        return 0;
    }

    private static async Task<double> TimeWholeAsync(string executable, string url, CancellationToken ct)
    {
        var temp = Directory.CreateTempSubdirectory("cloudslicer-bench-split-");
        try
        {
            await using var server = await StartAsync([executable], temp.FullName, "1", "0", ct);
            return await TimeJobAsync(server, url, ct);
        }
        finally
        {
            BenchHost.TryDelete("scratch", temp.FullName);
        }
    }

    private static async Task<double> TimeSplitAsync(string executable, string url, double partSeconds, CancellationToken ct)
    {
        var temp = Directory.CreateTempSubdirectory("cloudslicer-bench-split-");
        var part = partSeconds.ToString(Inv);
        try
        {
            await using var api = await StartAsync([executable], temp.FullName, "0", part, ct);
            await using var first = await StartAsync(["taskset", "-c", "0", executable], temp.FullName, "1", part, ct);
            await using var second = await StartAsync(["taskset", "-c", "1", executable], temp.FullName, "1", part, ct);
            return await TimeJobAsync(api, url, ct);
        }
        finally
        {
            BenchHost.TryDelete("scratch", temp.FullName);
        }
    }

    private static Task<CloudSlicerProcess> StartAsync(IReadOnlyList<string> command, string data, string slicers, string partSeconds, CancellationToken ct) =>
        CloudSlicerProcess.StartAsync(
            command, data,
            new Dictionary<string, string?> { ["CLOUDSLICER_Slicer__PartSeconds"] = partSeconds },
            clearCloudSlicerVariables: true,
            extraArgs: ["--allow-private-sources", "--slicers", slicers],
            cancellationToken: ct);

    private static async Task<double> TimeJobAsync(CloudSlicerProcess server, string url, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromMinutes(2) };
        var jobs = new Jobs(new Api2Client(http, server.Owner ?? throw new InvalidOperationException("no first owner printed"), server.Secret!));
        var clock = Stopwatch.StartNew();
        var id = await jobs.CreateAsync(url, ct);
        while (true)
        {
            var job = await jobs.GetAsync(id, ct);
            if (job.State() == "done")
            {
                return clock.Elapsed.TotalSeconds;
            }

            if (job.State() is "error" or "cancelled")
            {
                throw new InvalidOperationException($"the job ended {job.State()}: {job.ToJsonString()}");
            }

            await Task.Delay(50, ct);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
