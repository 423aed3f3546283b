using System.Diagnostics;
using System.Globalization;
using CloudSlicer.Bench;
using CloudSlicer.Testing;

// The slicing benchmark (bench/README.md): CloudSlicer against the bare ffmpeg command that makes the same
// ladder, interleaved on one machine in one run, plus cancel-to-stopped latency. Writes docs/benchmarks.md.

// `export` first: the export benchmark (make bench-export), same options; `clip` first: the quick-clip benchmark
// (make bench-clip), its own options.
return args switch
{
    ["export", ..] => await BenchHost.RunAsync<BenchOptions>("bench-export", BenchOptions.Usage, BenchOptions.Parse, ExportBench.RunAsync, args[1..]),
    ["split", ..] => await BenchHost.RunAsync<SplitBenchOptions>("bench-split", SplitBenchOptions.Usage, SplitBenchOptions.Parse, SplitBench.RunAsync, args[1..]),
    ["clip", ..] => await BenchHost.RunAsync<ClipBenchOptions>("bench-clip", ClipBenchOptions.Usage, ClipBenchOptions.Parse, ClipBench.RunAsync, args[1..]),
    _ => await BenchHost.RunAsync<BenchOptions>("bench", BenchOptions.Usage, BenchOptions.Parse, Bench.RunAsync, args),
};

namespace CloudSlicer.Bench
{
    internal static class Bench
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
        {
            var wholeBench = Stopwatch.StartNew();
            var root = BenchHost.FindRoot(options.Root);
            var executable = Path.Combine(root, "dist", "cloudslicer");
            if (!File.Exists(executable))
            {
                throw new InvalidOperationException($"{executable} does not exist; run `make build` first (`make bench` does)");
            }

            var machine = await Machine.DescribeAsync();
            var loadBefore = Machine.LoadAverage();
            Console.WriteLine($"Machine: {machine.Cores} cores, {machine.CpuModel}; {machine.FfmpegVersion}; load {loadBefore}");

            var outDirectory = Path.Combine(root, "bench", "out");
            var source = await SourceClip.EnsureAsync(outDirectory, options.Seconds, ct);
            var baseline = await Baseline.PlanAsync(source, ct);
            Console.WriteLine(string.Create(Inv,
                $"Source: {source} ({new FileInfo(source).Length / 1e6:0.0} MB, {baseline.Info.Duration.TotalSeconds:0.###} s {baseline.Info.Width}x{baseline.Info.Height} {baseline.Info.FrameRate:0.##} fps, audio {baseline.Info.HasAudio})"));
            Console.WriteLine($"Ladder: {string.Join(", ", baseline.Rays.Select(r => $"{r.Name} {r.Width}x{r.Height}@{r.VideoKbps}k"))}");

            var temp = Directory.CreateTempSubdirectory("cloudslicer-bench-");
            var dataDirectory = Path.Combine(temp.FullName, "data");
            Console.WriteLine($"Scratch: {temp.FullName}");
            try
            {
                await using var files = await LoopbackFileServer.StartAsync(outDirectory);
                var sourceUrl = files.UrlOf(Path.GetFileName(source));
                await using var server = await Server.StartAsync(executable, dataDirectory, ct);
                Console.WriteLine($"Server: {server.Url} (data {dataDirectory})");
                using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromMinutes(2) };
                var jobs = new Jobs(new Api2Client(http, server.Owner!, server.Secret!));
                var poll = TimeSpan.FromMilliseconds(options.PollMilliseconds);

                var pairs = new List<Pair>();
                IReadOnlyDictionary<string, int>? segments = null;
                bool? sameCommand = null;
                for (var i = 1; i <= options.Pairs; i++)
                {
                    var output = Path.Combine(temp.FullName, $"baseline-{i}");
                    var meter = Contention.Start();
                    var (bare, bareCpu) = await baseline.RunAsync(output, ct);
                    var bareContention = meter.Stop(bareCpu);
                    var counts = baseline.SegmentCounts(output);
                    segments ??= counts;
                    if (!counts.SequenceEqual(segments))
                    {
                        throw new InvalidOperationException($"baseline run {i} made different segment counts from run 1");
                    }

                    Directory.Delete(output, recursive: true);
                    Console.WriteLine(string.Create(Inv, $"pair {i}: bare ffmpeg  {bare.TotalSeconds,7:0.00} s  (cpu {bareCpu.TotalSeconds:0.00} s; other processes {bareContention.Share:0%} of the cores)"));

                    meter = Contention.Start();
                    var sliced = await SlicingRun.RunAsync(server, jobs, sourceUrl, poll, ct);
                    var slicedContention = meter.Stop(sliced.Cpu.Total);
                    await SlicingRun.CheckAssetAsync(http, sliced.Asset, segments, baseline.Rays.Count, ct);
                    if (sliced.LadderCommandLogged is { } logged)
                    {
                        var same = SlicingRun.SameCommand(logged, baseline.Arguments(output));
                        sameCommand = (sameCommand ?? true) && same;
                        if (!same)
                        {
                            Console.WriteLine($"  WARNING: the slicer's ladder command differs from the baseline's:\n  slicer:   {logged}\n  baseline: {string.Join(", ", baseline.Arguments(output))}");
                        }
                    }

                    var pair = new Pair(i, bare, bareCpu, bareContention, sliced, slicedContention);
                    pairs.Add(pair);
                    Console.WriteLine(string.Create(Inv,
                        $"pair {i}: CloudSlicer  {sliced.Elapsed.TotalSeconds,7:0.00} s  (cpu {sliced.Cpu.Total.TotalSeconds:0.00} s; other processes {slicedContention.Share:0%} of the cores; ratio {pair.Ratio:0.000}; asset {sliced.Asset} checked)"));
                }

                var cancels = new List<CancelResult>();
                for (var i = 1; i <= options.Cancels; i++)
                {
                    var cancel = await CancelRun.RunAsync(server, jobs, sourceUrl, poll, ct);
                    cancels.Add(cancel);
                    Console.WriteLine(string.Create(Inv,
                        $"cancel {i}: at '{cancel.SlicedBeforeCancel}', call answered in {cancel.CallReturned.TotalMilliseconds:0} ms, ffmpeg gone after {cancel.Stopped.TotalMilliseconds:0} ms"));
                }

                await server.StopAsync();
                var serverLog = Path.Combine(outDirectory, "last-server.log");
                await File.WriteAllLinesAsync(serverLog, server.Lines.Select(l => l.Text), CancellationToken.None);
                Console.WriteLine($"Server output: {serverLog}");
                var results = new Results
                {
                    Date = TimeProvider.System.GetUtcNow(),
                    Machine = machine,
                    Options = options,
                    SourcePath = source,
                    SourceBytes = new FileInfo(source).Length,
                    Source = baseline.Info,
                    Rays = baseline.Rays,
                    BaselineArguments = baseline.Arguments("OUT"),
                    BaselineOutputPlaceholder = "OUT",
                    ServerCommand = Server.CommandLine("dist/cloudslicer"),
                    Pairs = pairs,
                    SameCommand = sameCommand,
                    Cancels = cancels,
                    LoadBefore = loadBefore,
                    LoadAfter = Machine.LoadAverage(),
                    Total = wholeBench.Elapsed,
                };

                Console.Write(Report.Summary(results));
                if (options.WriteDoc)
                {
                    var doc = Path.GetFullPath(options.DocPath ?? Path.Combine(root, "docs", "benchmarks.md"));
                    Report.Write(doc, results);
                    Console.WriteLine($"  written to {doc}");
                }

                return 0;
            }
            finally
            {
                if (options.Keep)
                {
                    Console.WriteLine($"Kept {temp.FullName}");
                }
                else
                {
                    BenchHost.TryDelete("bench", temp.FullName);
                }
            }
        }

        /// <summary>The repository root: --root, else the nearest directory holding CloudSlicer.slnx above the working directory or the bench.</summary>
    }
}
