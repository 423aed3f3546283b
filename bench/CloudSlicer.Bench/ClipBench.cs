using System.Diagnostics;
using System.Globalization;
using System.Text;
using CloudSlicer.Testing;

namespace CloudSlicer.Bench;

/// <summary>
/// <c>make bench-clip</c>: slices a short and a long source once, then times a <c>/jobs/quickclip</c> of the same length
/// from each (sent to done, polled) and the bare ffmpeg command that makes the same clip (the source's HLS ladder with
/// <c>-ss</c>/<c>-t</c>, built by the production <c>FfmpegCommands.HlsLadder</c>), interleaved in rounds. The goal
/// (issue 7): the clip's time depends on the clip's length, not the asset's, so the two assets' clips take the same
/// time within 20 %. Writes its section of docs/benchmarks.md.
/// </summary>
internal static class ClipBench
{
    public const string SectionStart = "<!-- bench:clip:start -->";
    public const string SectionEnd = "<!-- bench:clip:end -->";

    /// <summary>125 slices of 4.096 s: 512 s is a whole number of frames at 30 fps, so the slice grid repeats exactly.</summary>
    private const int GridPeriodMs = 512_000;

    private const double Goal = 0.20;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(ClipBenchOptions options, CancellationToken ct)
    {
        var whole = Stopwatch.StartNew();
        var root = BenchHost.FindRoot(options.Root);
        var executable = Path.Combine(root, "dist", "cloudslicer");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} does not exist; run `make build` first (`make bench-clip` does)");
        }

        var machine = await Machine.DescribeAsync();
        var loadBefore = Machine.LoadAverage();
        var outDirectory = Path.Combine(root, "bench", "out");
        var sources = new[]
        {
            new Side("short", options.ShortSeconds, await ClipSource.EnsureAsync(outDirectory, options.ShortSeconds, ct), options.OffsetMilliseconds),
            new Side("long", options.LongSeconds, await ClipSource.EnsureAsync(outDirectory, options.LongSeconds, ct),
                options.OffsetMilliseconds + (GridPeriodMs * ((options.LongSeconds * 1000L - options.ClipMilliseconds - options.OffsetMilliseconds) / GridPeriodMs))),
        };
        var clipLength = TimeSpan.FromMilliseconds(options.ClipMilliseconds);
        var temp = Directory.CreateTempSubdirectory("cloudslicer-bench-clip-");
        try
        {
            await using var files = await LoopbackFileServer.StartAsync(outDirectory);
            var dataDirectory = Path.Combine(temp.FullName, "data");
            await using var server = await Server.StartAsync(executable, dataDirectory, ct);
            using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromMinutes(2) };
            var client = new Api2Client(http, server.Owner!, server.Secret!);
            var jobs = new Jobs(client);
            var poll = TimeSpan.FromMilliseconds(options.PollMilliseconds);
            Console.WriteLine($"Machine: {machine.Cores} cores, {machine.CpuModel}; load {loadBefore}; scratch {temp.FullName}");

            foreach (var side in sources)
            {
                var clock = Stopwatch.StartNew();
                var sliced = await ExportBench.WaitDoneAsync(jobs, await jobs.CreateAsync(files.UrlOf(Path.GetFileName(side.Source)), ct), poll, ct);
                side.Asset = sliced["asset"]!.GetValue<string>();
                side.Baseline = (await Baseline.PlanAsync(side.Source, ct)).Trimmed(TimeSpan.FromMilliseconds(side.OffsetMs), clipLength);
                side.Slices = (await client.CallAsync("/api2/asset/get", new { id = side.Asset }, ct))["asset"]!["slices"]?.GetValue<int>() ?? 0;
                Console.WriteLine(string.Create(Inv,
                    $"Sliced the {side.Seconds} s source in {clock.Elapsed.TotalSeconds:0.0} s: asset {side.Asset}, {side.Slices} slices, rays {string.Join(", ", side.Baseline.Rays.Select(r => r.Name))}; its clip is [{side.OffsetMs / 1000.0:0.###}, {(side.OffsetMs + options.ClipMilliseconds) / 1000.0:0.###}) s"));
            }

            // A fresh server JIT-compiles the clip's code paths during its first clip: one untimed clip first, so the
            // first timed side does not pay for it alone.
            await QuickClipAsync(server, client, jobs, sources[0], options.ClipMilliseconds, poll, ct);

            for (var round = 1; round <= options.Rounds; round++)
            {
                // The order turns each round, so neither side always runs first after the other's ffmpeg.
                var order = round % 2 == 1 ? sources : sources.Reverse().ToArray();
                foreach (var side in order)
                {
                    var (wall, cpu) = await QuickClipAsync(server, client, jobs, side, options.ClipMilliseconds, poll, ct);
                    side.Clip.Add((wall, cpu));
                    var output = Path.Combine(temp.FullName, $"bare-{side.Name}-{round}");
                    var (bare, bareCpu) = await side.Baseline!.RunAsync(output, ct);
                    side.Bare.Add((bare.TotalSeconds, bareCpu.TotalSeconds));
                    Directory.Delete(output, recursive: true);
                    Console.WriteLine(string.Create(Inv,
                        $"round {round}, {side.Name,-5} ({side.Seconds} s asset): CloudSlicer {wall:0.00} s (cpu {cpu:0.00} s), bare ffmpeg {bare.TotalSeconds:0.00} s (cpu {bareCpu.TotalSeconds:0.00} s)"));
                }
            }

            await server.StopAsync();
            var section = Section(machine, options, sources, loadBefore, whole.Elapsed);
            Console.WriteLine();
            Console.WriteLine(section);
            if (options.WriteDoc)
            {
                var doc = Path.GetFullPath(options.DocPath ?? Path.Combine(root, "docs", "benchmarks.md"));
                WriteSection(doc, section);
                Console.WriteLine($"written to {doc}");
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
                BenchHost.TryDelete("bench-clip", temp.FullName);
            }
        }
    }

    /// <summary>One clip, from sending the signed call until <c>/jobs/get</c> says done; checks its length on the record.</summary>
    private static async Task<(double Wall, double Cpu)> QuickClipAsync(
        CloudSlicerProcess server, Api2Client client, Jobs jobs, Side side, int clipMs, TimeSpan poll, CancellationToken ct)
    {
        var cpuBefore = CpuTimes.Of(server.Pid);
        var clock = Stopwatch.StartNew();
        var created = await client.CallAsync("/api2/cloudslicer/jobs/quickclip",
            new { source = new { trim = new[] { side.OffsetMs, clipMs } }, args = new { beam_id = side.Asset } }, ct);
        var id = created["job"]?["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"quickclip failed: {created.ToJsonString()}");
        var job = await ExportBench.WaitDoneAsync(jobs, id, poll, ct);
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = (CpuTimes.Of(server.Pid) - cpuBefore).Total.TotalSeconds;
        var clip = job["asset"]!.GetValue<string>();
        var duration = (await client.CallAsync("/api2/asset/get", new { id = clip }, ct))["asset"]!["duration"]!.GetValue<double>();
        if (Math.Abs(duration - (clipMs / 1000.0)) > 0.05)
        {
            throw new InvalidOperationException($"the clip {clip} of the {side.Name} asset is {duration} s long, not {clipMs / 1000.0} s");
        }

        return (wall, cpu);
    }

    private static string Section(Machine machine, ClipBenchOptions options, Side[] sides, string loadBefore, TimeSpan total)
    {
        var (s, l) = (sides[0], sides[1]);
        var ratio = Median(l.Clip.Select(c => c.Wall)) / Median(s.Clip.Select(c => c.Wall));
        var met = Math.Abs(ratio - 1) <= Goal;
        var given = options.Given.Count == 0 ? "" : $" ARGS=\"{string.Join(' ', options.Given)}\"";
        var text = new StringBuilder()
            .Append(SectionStart).Append('\n')
            .Append("## Quick clip: a short and a long asset, and the bare ffmpeg command\n\n")
            .Append("<!-- Written by bench/CloudSlicer.Bench (`make bench-clip`); edits between the bench:clip markers are overwritten. -->\n\n")
            .Append(Inv, $"Goal (issue 7): a quick clip costs what the clip's length asks, not the asset's: a {options.ClipMilliseconds / 1000.0:0.###} s clip of the {l.Seconds} s asset takes the same time as one of the {s.Seconds} s asset, within {Goal:0%}.\n\n")
            .Append("| | measured | goal | |\n|---|---|---|---|\n")
            .Append(Inv, $"| median(clip of the {l.Seconds} s asset) / median(clip of the {s.Seconds} s asset), wall clock | **{ratio:0.000}** ({Median(l.Clip.Select(c => c.Wall)):0.00} s / {Median(s.Clip.Select(c => c.Wall)):0.00} s) | {1 - Goal:0.00}–{1 + Goal:0.00} | {(met ? "met" : "**missed**")} |\n")
            .Append(Inv, $"| median(CloudSlicer) / median(bare ffmpeg), {s.Seconds} s asset | {Median(s.Clip.Select(c => c.Wall)) / Median(s.Bare.Select(c => c.Wall)):0.000} | | |\n")
            .Append(Inv, $"| median(CloudSlicer) / median(bare ffmpeg), {l.Seconds} s asset | {Median(l.Clip.Select(c => c.Wall)) / Median(l.Bare.Select(c => c.Wall)):0.000} | | |\n\n")
            .Append(Inv, $"Measured {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC with `make bench-clip{given}` (`dotnet run --project bench/CloudSlicer.Bench -c Release -- clip` after `make build`), ")
            .Append(Inv, $"on {machine.Cores} cores (`{machine.CpuModel}`), {machine.Os}, {machine.Runtime}, `{machine.FfmpegVersion}`. ")
            .Append(Inv, $"Load average (1/5/15 min) {loadBefore} before, {Machine.LoadAverage()} after (other work shares these cores; CPU time is shown because it hardly changes with it). The whole bench, slicing included, took {total.TotalMinutes:0.0} min.\n\n")
            .Append("| round | asset | CloudSlicer (s) | CPU (s): server + its ffmpeg | bare ffmpeg (s) | CPU bare (s) |\n|---:|---|---:|---:|---:|---:|\n");
        for (var i = 0; i < options.Rounds; i++)
        {
            foreach (var side in sides)
            {
                text.Append(Inv, $"| {i + 1} | {side.Seconds} s | {side.Clip[i].Wall:0.00} | {side.Clip[i].Cpu:0.00} | {side.Bare[i].Wall:0.00} | {side.Bare[i].Cpu:0.00} |\n");
            }
        }

        foreach (var side in sides)
        {
            text.Append(Inv, $"| **median** | {side.Seconds} s | **{Median(side.Clip.Select(c => c.Wall)):0.00}** | {Median(side.Clip.Select(c => c.Cpu)):0.00} | **{Median(side.Bare.Select(c => c.Wall)):0.00}** | {Median(side.Bare.Select(c => c.Cpu)):0.00} |\n");
        }

        var rays = string.Join(", ", s.Baseline!.Rays.Select(r => string.Create(Inv, $"{r.Name} {r.Width}×{r.Height} {r.VideoKbps} kbps")));
        return text
            .Append("\n### What is compared\n\n")
            .Append(Inv, $"- **Sources:** lavfi testsrc2 {ClipSource.Width}×{ClipSource.Height} 30 fps + sine, AAC stereo 48 kHz, x264 veryfast crf 23, {s.Seconds} s and {l.Seconds} s (`bench/out/clipsource-*`, made once). Both are sliced once by the server with its defaults (rays {rays}, 128 kbps audio, veryfast, 4.096 s slices: {s.Slices} and {l.Slices} slices); the slicing is not timed.\n")
            .Append(Inv, $"- **The clip:** `trim [offset_ms, {options.ClipMilliseconds}]` at {s.OffsetMs} ms in the {s.Seconds} s asset and {l.OffsetMs} ms in the {l.Seconds} s asset: a multiple of 512 s later (125 slices, a whole number of frames), so both clips cut their edge slices at the same place on the slice grid and re-encode the same number of frames; only the asset's length differs.\n")
            .Append("- **CloudSlicer:** the real `dist/cloudslicer serve --urls http://127.0.0.1:0 --data <fresh temp dir> --allow-private-sources` (defaults), one server for the whole bench. Timed from sending a signed `/api2/cloudslicer/jobs/quickclip` (`source.trim`, `args.beam_id`) until `/jobs/get`, polled every ")
            .Append(Inv, $"{options.PollMilliseconds} ms, says `done` (edges re-encoded per ray, audio edges cut on AAC frames, inner slices copied in the blob store, the poster, publishing); each clip's record is checked to be {options.ClipMilliseconds / 1000.0:0.###} s long. CPU is the server process's and its reaped children's (ffmpeg) from /proc over the same interval.\n")
            .Append("- **Bare ffmpeg:** the command that makes the same clip from scratch: the source's ladder from `FfmpegCommands.HlsLadder` (the production code path, the same rays and preset) with `-ss OFFSET -t LENGTH` before `-i` (as `/jobs/create` with `trim` runs it), `/usr/bin/ffmpeg` run bare into a fresh directory, timed from start to exit. Input seeking makes its time depend on the clip's length too; it re-encodes all of the clip where CloudSlicer re-encodes only the edge slices.\n")
            .Append(Inv, $"- **Interleaved:** per round, each asset's CloudSlicer clip then its bare ffmpeg clip, the assets' order turning every round; {options.Rounds} rounds after one untimed warm-up clip (the fresh server's JIT); wall clock by `Stopwatch`.\n\n")
            .Append(SectionEnd).Append('\n')
            .ToString();
    }

    private static void WriteSection(string path, string section)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var start = text.IndexOf(SectionStart, StringComparison.Ordinal);
        var end = text.IndexOf(SectionEnd, StringComparison.Ordinal);
        text = start >= 0 && end > start
            ? text[..start] + section.TrimEnd('\n') + text[(end + SectionEnd.Length)..]
            : text.TrimEnd() + "\n\n" + section;
        File.WriteAllText(path, text.TrimEnd() + "\n");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>One asset of the bench: its source, where its clip starts, and the timings.</summary>
    private sealed class Side(string name, int seconds, string source, long offsetMs)
    {
        public string Name => name;

        public int Seconds => seconds;

        public string Source => source;

        public long OffsetMs => offsetMs;

        public string Asset { get; set; } = "";

        public int Slices { get; set; }

        public Baseline? Baseline { get; set; }

        public List<(double Wall, double Cpu)> Clip { get; } = [];

        public List<(double Wall, double Cpu)> Bare { get; } = [];
    }
}
