using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Bench;
using CloudSlicer.Testing;
using Npgsql;

namespace CloudSlicer.DispatchBench;

/// <summary>Starts PostgreSQL, CloudSlicer's two processes and the bare queue, then takes interleaved samples.</summary>
public static class DispatchRun
{
    public const string CreatePath = "/api2/cloudslicer/jobs/create";
    private const string Database = "dispatch";
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(DispatchOptions options, CancellationToken ct)
    {
        var wholeBench = Stopwatch.StartNew();
        var root = BenchHost.FindRoot(options.Root);
        var executable = Path.Combine(root, "dist", "cloudslicer");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} does not exist; run `make build` first (`make bench-dispatch` does)");
        }

        var machine = MachineInfo.Describe();
        var loadBefore = Machine.LoadAverage();
        Console.WriteLine($"Machine: {machine.Cores} cores, {machine.CpuModel}; {machine.Runtime}; load {loadBefore}");
        var temp = Directory.CreateTempSubdirectory("cloudslicer-dispatchbench-");
        BenchPostgres? postgres = null;
        try
        {
            if (options.Nice != 0)
            {
                await Niceness.ApplyToThisProcessAsync(options.Nice, ct);
                Console.WriteLine($"Niceness {options.Nice} for this process, PostgreSQL and both cloudslicer processes");
            }

            var command = Niceness.Prefix(options.Nice).Append(executable).ToList();
            postgres = await BenchPostgres.StartAsync(options.Durable, options.Nice, ct);
            Console.WriteLine($"PostgreSQL: port {postgres.Port}, {postgres.CommitSettings}; {postgres.Version}");
            var db = await postgres.CreateDatabaseAsync(Database, ct);

            // The source answers 404: the slicer fails the job at once (permanently, one attempt) and is idle again.
            Directory.CreateDirectory(Path.Combine(temp.FullName, "www"));
            await using var www = await LoopbackFileServer.StartAsync(Path.Combine(temp.FullName, "www"));
            var sourceUrl = www.UrlOf("missing.mp4");

            await using var api = await CloudSlicerProcess.StartAsync(
                command, Path.Combine(temp.FullName, "api"), clearCloudSlicerVariables: true,
                extraArgs: ["--db", db, "--slicers", "0", "--allow-private-sources"], cancellationToken: ct);
            if (api.Owner is null || api.Secret is null)
            {
                throw new InvalidOperationException("cloudslicer did not print a first owner; is the database fresh?");
            }

            Console.WriteLine($"CloudSlicer API: {api.Url} (pid {api.Pid})");
            await using (var setup = new NpgsqlConnection(db))
            {
                // After the API's migrations made the jobs table.
                await setup.OpenAsync(ct);
                await using var install = new NpgsqlCommand(Marks.Install + Marks.TriggerOn("jobs") + BareQueue.Schema + Marks.TriggerOn("bare_jobs"), setup);
                await install.ExecuteNonQueryAsync(ct);
            }

            await using var slicer = await SlicerProcess.StartAsync(
                command, ["--data", Path.Combine(temp.FullName, "slicer"), "--db", db, "--count", "1", "--allow-private-sources"], ct);
            Console.WriteLine($"CloudSlicer slicer: pid {slicer.Pid}");
            await using var ends = await EndListener.StartAsync(db, ct);
            await using var bare = await BareQueue.StartAsync(db, ct);
            await using var reader = new NpgsqlConnection(db + ";Pooling=false;Application Name=bench-reader");
            await reader.OpenAsync(ct);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri(api.Url),
                Timeout = SampleTimeout,
            };
            var client = new Api2Client(http, api.Owner, api.Secret);
            var cloudSlicer = new CloudSlicerSampler(http, client, ends, reader, sourceUrl);
            var bareSampler = new BareSampler(bare, reader);
            var pause = new Random(8);

            async Task<Sample> TakeAsync(string side, int index)
            {
                var sample = side == Sides.Bare ? await bareSampler.TakeAsync(index, ct) : await cloudSlicer.TakeAsync(index, ct);
                if (api.HasExited || slicer.HasExited)
                {
                    throw new InvalidOperationException($"a cloudslicer process exited during the run:\n{api.Output}\n{string.Join('\n', slicer.Lines)}");
                }

                // Idle again: the job has ended; let the slicer settle into its wait before the next create.
                await Task.Delay(TimeSpan.FromMilliseconds(options.IdleMs * (0.5 + pause.NextDouble())), ct);
                return sample;
            }

            Console.WriteLine($"Warm-up: {options.Warmup} samples a side...");
            for (var i = 0; i < options.Warmup; i++)
            {
                await TakeAsync(Sides.Bare, -1);
                await TakeAsync(Sides.CloudSlicer, -1);
            }

            Console.WriteLine($"Measuring: {options.Samples} samples a side, interleaved...");
            var samples = new List<Sample>();
            var (api0, slicer0, pg0) = (CpuTimes.Of(api.Pid).Own, CpuTimes.Of(slicer.Pid).Own, postgres.Cpu());
            var meter = Contention.Start();
            var measuring = Stopwatch.StartNew();
            for (var i = 1; i <= options.Samples; i++)
            {
                // Alternate which side goes first, so neither always follows the other's job.
                foreach (var side in i % 2 == 1 ? new[] { Sides.Bare, Sides.CloudSlicer } : [Sides.CloudSlicer, Sides.Bare])
                {
                    samples.Add(await TakeAsync(side, i));
                }

                if (i % 50 == 0 || i == options.Samples)
                {
                    Console.WriteLine(Report.ProgressLine(i, samples));
                }
            }

            var measured = measuring.Elapsed;
            var (apiCpu, slicerCpu, pgCpu) = (CpuTimes.Of(api.Pid).Own - api0, CpuTimes.Of(slicer.Pid).Own - slicer0, postgres.Cpu() - pg0);
            var contention = meter.Stop(apiCpu + slicerCpu + pgCpu);

            await slicer.StopAsync();
            await api.StopAsync();
            var outDirectory = Path.Combine(root, "bench", "out");
            Directory.CreateDirectory(outDirectory);
            var apiLines = api.Lines.Select(l => l.Text).Select(l => l.TrimStart().StartsWith("secret:", StringComparison.Ordinal) ? "  secret: (not kept)" : l).ToList();
            await File.WriteAllLinesAsync(Path.Combine(outDirectory, "last-dispatch-api.log"), apiLines, CancellationToken.None);
            await File.WriteAllLinesAsync(Path.Combine(outDirectory, "last-dispatch-slicer.log"), slicer.Lines, CancellationToken.None);
            await File.WriteAllLinesAsync(Path.Combine(outDirectory, "last-dispatch-samples.csv"), Report.Csv(samples), CancellationToken.None);
            Console.WriteLine($"Process output and every sample: {outDirectory}/last-dispatch-{{api.log,slicer.log,samples.csv}}");

            var results = new DispatchResults
            {
                Date = TimeProvider.System.GetUtcNow(),
                Machine = machine,
                Options = options,
                PostgresVersion = postgres.Version,
                CommitSettings = postgres.CommitSettings,
                Samples = samples,
                ApiCpu = apiCpu,
                SlicerCpu = slicerCpu,
                PostgresCpu = pgCpu,
                Contention = contention,
                Measured = measured,
                LoadBefore = loadBefore,
                LoadAfter = Machine.LoadAverage(),
                Total = wholeBench.Elapsed,
                ProblemLines = apiLines.Concat(slicer.Lines).Where(DispatchResults.IsProblem).ToList(),
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
            if (postgres is not null)
            {
                await postgres.StopAsync(delete: !options.Keep);
            }

            if (options.Keep)
            {
                Console.WriteLine($"Kept {temp.FullName}{(postgres is null ? "" : $" and {postgres.DataDirectory}")}");
            }
            else
            {
                BenchHost.TryDelete("bench-dispatch", temp.FullName);
            }
        }
    }

    /// <summary>One CloudSlicer dispatch: a signed jobs/create, then the marks its job's row left.</summary>
    private sealed class CloudSlicerSampler(HttpClient http, Api2Client client, EndListener ends, NpgsqlConnection reader, string sourceUrl)
    {
        public async Task<Sample> TakeAsync(int index, CancellationToken ct)
        {
            // Signed before the clock starts: signing is the client's work, on the client's machine.
            var signed = client.Sign(new JsonObject { ["source"] = new JsonObject { ["url"] = sourceUrl } });
            using var content = new FormUrlEncodedContent([new("msg", signed.Msg), new("sig", signed.Sig)]);
            var sent = TimeProvider.System.GetUtcNow();
            var t0 = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync(CreatePath, content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var answered = Stopwatch.GetElapsedTime(t0);
            var job = JobIdOf(response.StatusCode, body);
            try
            {
                await ends.WaitAsync(job, SampleTimeout, ct);
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"job {job} did not end within {SampleTimeout.TotalSeconds} s; is the slicer claiming?");
            }
            finally
            {
                ends.Forget(job);
            }

            var marks = await Marks.ReadAsync(reader, job, ct);
            var (state, attempts, lastStart) = await RowAsync(job, ct);
            if (state != "error" || attempts != 1 || marks.Count(m => m.State == "assigned") != 1)
            {
                throw new InvalidOperationException(
                    $"job {job} should have been claimed once and failed on its 404 source; it is {state} after {attempts} attempts, marks {string.Join(", ", marks.Select(m => m.State))}");
            }

            var inserted = marks.Single(m => m.State == "waiting").At;
            var assigned = marks.Single(m => m.State == "assigned").At;
            return new Sample(
                Sides.CloudSlicer, index, assigned - sent, inserted - sent, assigned - inserted, answered, null,
                TimeSpan.FromMilliseconds(lastStart - sent.ToUnixTimeMilliseconds() - (sent.Ticks % TimeSpan.TicksPerMillisecond) / (double)TimeSpan.TicksPerMillisecond));
        }

        private async Task<(string State, int Attempts, long LastStart)> RowAsync(string job, CancellationToken ct)
        {
            await using var command = new NpgsqlCommand("SELECT state, attempts, last_start FROM jobs WHERE id = @id", reader);
            command.Parameters.AddWithValue("id", job);
            await using var row = await command.ExecuteReaderAsync(ct);
            return await row.ReadAsync(ct)
                ? (row.GetString(0), row.GetInt32(1), row.GetInt64(2))
                : throw new InvalidOperationException($"job {job} is not in the jobs table");
        }

        private static string JobIdOf(HttpStatusCode status, string body)
        {
            if (status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"jobs/create answered HTTP {(int)status}: {body}");
            }

            using var doc = JsonDocument.Parse(body);
            var rootElement = doc.RootElement;
            return rootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Number && error.GetInt32() == 0
                   && rootElement.TryGetProperty("job", out var job) && job.TryGetProperty("id", out var id) && id.GetString() is { } text
                ? text
                : throw new InvalidOperationException($"jobs/create failed: {body}");
        }
    }

    /// <summary>One bare dispatch: INSERT + NOTIFY from the producer, until the worker's claim.</summary>
    private sealed class BareSampler(BareQueue queue, NpgsqlConnection reader)
    {
        public async Task<Sample> TakeAsync(int index, CancellationToken ct)
        {
            var sent = TimeProvider.System.GetUtcNow();
            var t0 = Stopwatch.GetTimestamp();
            var (id, committed) = await queue.EnqueueAsync(ct);
            long claimed;
            try
            {
                claimed = await queue.ClaimedAsync(id, SampleTimeout, ct);
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"bare job {id} was not claimed within {SampleTimeout.TotalSeconds} s");
            }
            finally
            {
                queue.Forget(id);
            }

            var marks = await Marks.ReadAsync(reader, id.ToString(CultureInfo.InvariantCulture), ct);
            var inserted = marks.Single(m => m.State == "waiting").At;
            var claimedAt = marks.Single(m => m.State == "claimed").At;
            return new Sample(
                Sides.Bare, index, claimedAt - sent, inserted - sent, claimedAt - inserted,
                Stopwatch.GetElapsedTime(t0, committed), Stopwatch.GetElapsedTime(t0, claimed), null);
        }
    }
}
