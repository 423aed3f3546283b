using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CloudSlicer.ApiBench;
using CloudSlicer.Bench;

// The job API benchmark (bench/README.md): signed api2 jobs/create and jobs/get on the real server against a bare
// ASP.NET Core endpoint doing the same single SQLite statement, interleaved in one run. Writes docs/benchmarks.md.

return await BenchHost.RunAsync<ApiBenchOptions>("bench-api", ApiBenchOptions.Usage, ApiBenchOptions.Parse, ApiBench.RunAsync, args);

namespace CloudSlicer.ApiBench
{
    /// <summary>What the figures were measured on.</summary>
    public sealed record MachineInfo(int Cores, string CpuModel, string Os, string Runtime)
    {
        public static MachineInfo Describe()
        {
            return new MachineInfo(Environment.ProcessorCount, CloudSlicer.Bench.Machine.ReadCpuModel(), RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription);
        }
    }

    internal static class ApiBench
    {
        public const string SourceUrl = "https://media.example.com/v.mp4";
        public const string Trim = "5000,10000";

        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        public static async Task<int> RunAsync(ApiBenchOptions options, CancellationToken ct)
        {
            var wholeBench = Stopwatch.StartNew();
            var root = BenchHost.FindRoot(options.Root);
            var executable = Path.Combine(root, "dist", "cloudslicer");
            if (!File.Exists(executable))
            {
                throw new InvalidOperationException($"{executable} does not exist; run `make build` first (`make bench-api` does)");
            }

            var machine = MachineInfo.Describe();
            var loadBefore = CloudSlicer.Bench.Machine.LoadAverage();
            Console.WriteLine($"Machine: {machine.Cores} cores, {machine.CpuModel}; {machine.Runtime}; load {loadBefore}");
            Console.WriteLine($"SQLite per-connection pragmas (CloudSlicer's, read from the built CloudSlicer.Storage): {StoreSql.PragmasLine}");

            var temp = Directory.CreateTempSubdirectory("cloudslicer-apibench-");
            Console.WriteLine($"Scratch: {temp.FullName}");
            try
            {
                await using var server = await CloudSlicerServer.StartAsync(executable, Path.Combine(temp.FullName, "data"), ct);
                Console.WriteLine($"CloudSlicer: {server.Url} (pid {server.Pid}, owner {server.Owner})");
                await using var baseline = await BaselineServer.StartAsync(Path.Combine(temp.FullName, "baseline", "baseline.db"), ct);
                Console.WriteLine($"Baseline:    {baseline.Url} (in this process)");

                using var csHttp = LoadGenerator.Client(server.Url, options.Concurrency);
                using var baseHttp = LoadGenerator.Client(baseline.Url, options.Concurrency);

                // The job each side's get phases read, made once (untimed).
                var csCreate = new Api2Create(server.Owner!, server.Secret!, SourceUrl, Trim);
                var csJob = await OneAsync(csHttp, csCreate, "CloudSlicer jobs/create", ct);
                var baseCreate = new PlainCreate(SourceUrl, Trim);
                var baseJob = await OneAsync(baseHttp, baseCreate, "baseline POST /jobs", ct);
                var csGet = new Api2Get(server.Owner!, server.Secret!, csJob);
                var baseGet = new PlainGet(baseJob);

                var warmup = TimeSpan.FromSeconds(options.Warmup);
                var measured = TimeSpan.FromSeconds(options.Seconds);
                var phases = new List<PhaseResult>();
                for (var round = 1; round <= options.Rounds; round++)
                {
                    foreach (var (side, op, http, operation, cpu) in new (string, string, HttpClient, IOperation, Func<TimeSpan>?)[]
                    {
                        (Sides.Baseline, Ops.Create, baseHttp, baseCreate, null),
                        (Sides.CloudSlicer, Ops.Create, csHttp, csCreate, () => server.Cpu()),
                        (Sides.Baseline, Ops.Get, baseHttp, baseGet, null),
                        (Sides.CloudSlicer, Ops.Get, csHttp, csGet, () => server.Cpu()),
                    })
                    {
                        var phase = await LoadGenerator.RunAsync(side, op, round, http, operation, options.Concurrency, warmup, measured, cpu, ct);
                        phases.Add(phase);
                        Console.WriteLine(Report.PhaseLine(phase));
                        if (server.HasExited)
                        {
                            throw new InvalidOperationException($"cloudslicer exited during the run:\n{string.Join('\n', server.Lines.TakeLast(40).Select(l => l.Text))}");
                        }
                    }
                }

                await server.StopAsync();
                Console.WriteLine($"In-process timings ({options.MicroIterations} iterations)...");
                var micro = await Micro.RunAsync(options.MicroIterations, csCreate, server.Secret!, Path.Combine(temp.FullName, "scratch", "scratch.db"), ct);
                var outDirectory = Path.Combine(root, "bench", "out");
                Directory.CreateDirectory(outDirectory);
                var serverLog = Path.Combine(outDirectory, "last-api-server.log");
                await File.WriteAllLinesAsync(serverLog, server.Lines.Select(l => l.Text).Select(l => l.TrimStart().StartsWith("secret:", StringComparison.Ordinal) ? "  secret: (not kept)" : l), CancellationToken.None);
                Console.WriteLine($"Server output: {serverLog}");

                var results = new ApiResults
                {
                    Date = TimeProvider.System.GetUtcNow(),
                    Machine = machine,
                    Options = options,
                    Phases = phases,
                    Micro = micro,
                    ServerCommand = CloudSlicerServer.CommandLine("dist/cloudslicer"),
                    ServerProblemLines = server.Lines.Select(l => l.Text).Where(ApiResults.IsProblem).ToList(),
                    LoadBefore = loadBefore,
                    LoadAfter = CloudSlicer.Bench.Machine.LoadAverage(),
                    Total = wholeBench.Elapsed,
                };

                Console.Write(Report.Summary(results));
                if (results.TotalFailures > 0)
                {
                    await Console.Error.WriteLineAsync(Report.FailureText(results));
                    return 1;
                }

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
                    BenchHost.TryDelete("bench-api", temp.FullName);
                }
            }
        }

        /// <summary>Sends one request and returns the job id it answered with; throws on a failure.</summary>
        private static async Task<string> OneAsync(HttpClient http, IOperation operation, string what, CancellationToken ct)
        {
            using var request = operation.NewRequest();
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (operation.Check(response.StatusCode, body) is { } failure)
            {
                throw new InvalidOperationException($"{what} failed: {failure}");
            }

            using var doc = System.Text.Json.JsonDocument.Parse(body);
            var rootElement = doc.RootElement;
            var id = rootElement.TryGetProperty("job", out var job) ? job.GetProperty("id") : rootElement.GetProperty("id");
            return id.GetString()!;
        }

        /// <summary>The repository root: --root, else the nearest directory holding CloudSlicer.slnx above the working directory or the bench.</summary>
    }
}
