using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CloudSlicer.Bench;

/// <summary>Writes the slicing section of docs/benchmarks.md and the summary printed at the end of a run.</summary>
public static partial class Report
{
    public const string SectionStart = "<!-- bench:slicing:start -->";
    public const string SectionEnd = "<!-- bench:slicing:end -->";

    private const string DocHeader = """
        # Benchmarks

        Figures measured by the benchmarks in `bench/` (see [bench/README.md](../bench/README.md)), each as a ratio
        against a baseline run side by side on the same machine in the same run. Every section is rewritten by its
        benchmark; the goals are DESIGN.md §6.

        """;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Summary(Results r)
    {
        var s = new StringBuilder();
        s.AppendLine();
        s.AppendLine(Inv, $"Slicing benchmark: {r.Source.Duration.TotalSeconds:0} s {r.Source.Width}x{r.Source.Height} source, {r.Pairs.Count} interleaved pairs, {r.Machine.Cores} cores ({r.Machine.CpuModel})");
        s.AppendLine(Inv, $"  {"pair",-7}{"bare ffmpeg",12}{"CloudSlicer",12}{"ratio",8}   {"cpu bare",9}{"cpu CS",9}{"ratio",8}   others' CPU share bare / CS");
        foreach (var p in r.Pairs)
        {
            s.AppendLine(Inv, $"  {p.Number,-7}{Sec(p.Baseline),12}{Sec(p.CloudSlicer.Elapsed),12}{p.Ratio,8:0.000}   {Sec(p.BaselineCpu),9}{Sec(p.CloudSlicer.Cpu.Total),9}{p.CpuRatio,8:0.000}   {p.BaselineContention.Share,4:0%} / {p.CloudSlicerContention.Share:0%}");
        }

        s.AppendLine(Inv, $"  {"median",-7}{Sec(r.BaselineMedian),12}{Sec(r.CloudSlicerMedian),12}{r.Ratio,8:0.000}   {Sec(r.BaselineCpuMedian),9}{Sec(r.CloudSlicerCpuMedian),9}{r.CpuRatio,8:0.000}");
        s.AppendLine(Inv, $"  ratio median(CloudSlicer)/median(bare ffmpeg), wall clock = {r.Ratio:0.000} (goal <= {Results.RatioGoal:0.00}: {(r.RatioMet ? "met" : "MISSED")}); CPU time {r.CpuRatio:0.000}");
        if (r.WithinNoise)
        {
            s.AppendLine(Inv, $"  note: the ratio is {Math.Abs(r.Ratio - Results.RatioGoal) * 100:0.0} points from the goal, less than the bare runs' own spread ({r.BaselineSpread * 100:0.0}%): another run may land on the other side; --pairs 5 or more firms it up");
        }
        s.AppendLine(Inv, $"  CloudSlicer's time, median phases: {PhaseLine(r)}");
        s.AppendLine(Inv, $"  CloudSlicer's CPU, medians: tools {Sec(r.ToolsCpuMedian)} s (bare ffmpeg {Sec(r.BaselineCpuMedian)} s), server itself {Sec(r.ServerCpuMedian)} s");
        s.AppendLine(Inv, $"  same ladder command as the baseline (paths aside): {r.SameCommand switch { true => "yes", false => "NO", null => "not seen" }}");
        if (r.CancelMax is { } max)
        {
            s.AppendLine(Inv, $"  cancel to stopped: {string.Join(", ", r.Cancels.Select(c => Ms(c.Stopped)))}; max {Ms(max)} (goal < 1 s: {(max < Results.CancelGoal ? "met" : "MISSED")})");
        }

        s.AppendLine(Inv, $"  load average before {r.LoadBefore}, after {r.LoadAfter}; the bench took {r.Total.TotalMinutes:0.0} min");
        s.AppendLine(Inv, $" {Outliers(r)}");
        return s.ToString();
    }

    public static string Section(Results r)
    {
        var m = new StringBuilder();
        var ratioMet = r.RatioMet;
        m.AppendLine(SectionStart);
        m.AppendLine("## Slicing: CloudSlicer vs the bare ffmpeg command");
        m.AppendLine();
        m.AppendLine("<!-- Written by bench/CloudSlicer.Bench (`make bench`); edits between the bench:slicing markers are overwritten. -->");
        m.AppendLine();
        m.AppendLine(Inv, $"Goals (DESIGN.md §6): slicing costs at most **{Results.RatioGoal:0.00}×** the bare ffmpeg command that makes the same ladder, on the same machine, in the same run; cancel to stopped **under 1 s**.");
        m.AppendLine();
        m.AppendLine("| | measured | goal | |");
        m.AppendLine("|---|---|---|---|");
        m.AppendLine(Inv, $"| median(CloudSlicer) / median(bare ffmpeg), wall clock | **{r.Ratio:0.000}** ({Sec(r.CloudSlicerMedian)} s / {Sec(r.BaselineMedian)} s) | ≤ {Results.RatioGoal:0.00} | {(ratioMet ? "met" : "**missed**")} |");
        m.AppendLine(Inv, $"| the same, CPU time (not a goal; see below) | {r.CpuRatio:0.000} ({Sec(r.CloudSlicerCpuMedian)} s / {Sec(r.BaselineCpuMedian)} s) | | |");
        if (r.CancelMax is { } max)
        {
            m.AppendLine(Inv, $"| cancel to stopped, worst of {r.Cancels.Count} | **{Ms(max)}** | < 1 s | {(max < Results.CancelGoal ? "met" : "**missed**")} |");
        }

        m.AppendLine();
        if (r.WithinNoise)
        {
            m.AppendLine(Inv, $"**Read the verdict with care:** the ratio is {Math.Abs(r.Ratio - Results.RatioGoal) * 100:0.0} points from the goal, less than the spread of the bare ffmpeg runs themselves ({r.BaselineSpread * 100:0.0}% between the fastest and the slowest), so another run may land on the other side of {Results.RatioGoal:0.00}. More pairs (`--pairs 5` or more) narrow the medians.");
            m.AppendLine();
        }

        var command = r.Options.Given.Count == 0
            ? "`make bench` (`dotnet run --project bench/CloudSlicer.Bench -c Release` after `make build`), default options"
            : $"`make bench ARGS=\"{string.Join(' ', r.Options.Given)}\"` (`dotnet run --project bench/CloudSlicer.Bench -c Release -- {string.Join(' ', r.Options.Given)}` after `make build`), options in effect";
        m.AppendLine(Inv, $"Measured {r.Date:yyyy-MM-dd HH:mm} UTC with {command} {Options(r.Options)}, on {r.Machine.Cores} cores (`{r.Machine.CpuModel}` in /proc/cpuinfo), {r.Machine.Os}, {r.Machine.Runtime}, `{r.Machine.FfmpegVersion}`. Load average (1/5/15 min) {r.LoadBefore} before, {r.LoadAfter} after (it counts every ffmpeg thread waiting for a core, and on this VM it reads high even when the CPUs are idle: the *other processes* column below is the better measure of outside load).");
        m.AppendLine();
        m.AppendLine("### Runs");
        m.AppendLine();
        m.AppendLine("| pair | bare ffmpeg (s) | CloudSlicer (s) | ratio | CPU bare (s) | CPU CloudSlicer (s): tools + server | CPU ratio | other processes, bare / CloudSlicer run |");
        m.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var p in r.Pairs)
        {
            m.AppendLine(Inv, $"| {p.Number} | {Sec(p.Baseline)} | {Sec(p.CloudSlicer.Elapsed)} | {p.Ratio:0.000} | {Sec(p.BaselineCpu)} | {Sec(p.CloudSlicer.Cpu.Total)}: {Sec(p.CloudSlicer.Cpu.Children)} + {Sec(p.CloudSlicer.Cpu.Own)} | {p.CpuRatio:0.000} | {Busy(p.BaselineContention)} / {Busy(p.CloudSlicerContention)} |");
        }

        m.AppendLine(Inv, $"| **median** | **{Sec(r.BaselineMedian)}** | **{Sec(r.CloudSlicerMedian)}** | **{r.Ratio:0.000}** | {Sec(r.BaselineCpuMedian)} | {Sec(r.CloudSlicerCpuMedian)} | {r.CpuRatio:0.000} | |");
        m.AppendLine();
        m.AppendLine(Inv, $"The ratio row is median over median (the goal's figure), not the median of the pairs' ratios. Wall clock is the goal. CPU time (user + system from /proc: bare ffmpeg as this bench's child; CloudSlicer as its ffprobe/ffmpeg children plus the server process itself) is shown because it hardly changes when other work shares the {r.Machine.Cores} cores, so it tells a slower CloudSlicer apart from a busier machine. *Other processes* is the CPU time the rest of the machine used during the run (/proc/stat busy time minus the run's and the bench's own), as a share of the machine's capacity (cores × wall time); other engineers' builds and tests share this machine, and interleaving spreads their load over both sides, but with {r.Pairs.Count} pairs it does not cancel out.{Outliers(r)}");
        m.AppendLine();
        m.AppendLine("### Where CloudSlicer's extra time goes");
        m.AppendLine();
        m.AppendLine("Seconds, from the server's log lines stamped on the bench's clock as they arrived: *queue*, create sent → the slicer claims the job; *download*, → the source is stored; *probe*, → the ladder ffmpeg starts (ffprobe, planning, a heartbeat); *encode*, the ladder ffmpeg, → the poster ffmpeg starts; *poster + store*, → the slicer logs done; *poll*, → `/jobs/get` shows done.");
        m.AppendLine();
        m.AppendLine("| pair | queue | download | probe | encode | poster + store | poll | total | bare ffmpeg |");
        m.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in r.Pairs)
        {
            var ph = p.CloudSlicer.Phases;
            m.AppendLine(Inv, $"| {p.Number} | {S(ph.Queue)} | {S(ph.Download)} | {S(ph.Probe)} | {S(ph.Encode)} | {S(ph.PosterAndStore)} | {S(ph.Poll)} | {Sec(p.CloudSlicer.Elapsed)} | {Sec(p.Baseline)} |");
        }

        m.AppendLine(Inv, $"| **median** | {S(r.PhaseMedian(x => x.Queue))} | {S(r.PhaseMedian(x => x.Download))} | {S(r.PhaseMedian(x => x.Probe))} | {S(r.PhaseMedian(x => x.Encode))} | {S(r.PhaseMedian(x => x.PosterAndStore))} | {S(r.PhaseMedian(x => x.Poll))} | {Sec(r.CloudSlicerMedian)} | {Sec(r.BaselineMedian)} |");
        m.AppendLine();
        m.AppendLine(Overhead(r));
        m.AppendLine();
        if (r.Cancels.Count > 0)
        {
            m.AppendLine("### Cancel to stopped");
            m.AppendLine();
            m.AppendLine("Same server, same source: create a job, wait until `/jobs/get` shows `Slicing` past 0% (the encode under way; progress moves with the 2 s heartbeat) with the ladder ffmpeg in /proc, send `/jobs/cancel`, then scan /proc every 5 ms until no ffmpeg whose command line mentions the server's data directory is left. Timed from sending the cancel.");
            m.AppendLine();
            m.AppendLine("| trial | progress at cancel | cancel call answered (ms) | ffmpeg gone (ms) |");
            m.AppendLine("|---:|---|---:|---:|");
            for (var i = 0; i < r.Cancels.Count; i++)
            {
                var c = r.Cancels[i];
                m.AppendLine(Inv, $"| {i + 1} | {c.SlicedBeforeCancel} | {c.CallReturned.TotalMilliseconds:0} | {c.Stopped.TotalMilliseconds:0} |");
            }

            m.AppendLine(Inv, $"| **max** | | {r.Cancels.Max(c => c.CallReturned).TotalMilliseconds:0} | **{r.CancelMax!.Value.TotalMilliseconds:0}** |");
            m.AppendLine();
        }

        m.AppendLine("### What is compared");
        m.AppendLine();
        m.AppendLine(Inv, $"- **Source:** `bench/out/{Path.GetFileName(r.SourcePath)}` (made once, cached), {r.Source.Duration.TotalSeconds:0.###} s {r.Source.Width}×{r.Source.Height} {r.Source.FrameRate:0.##} fps with AAC stereo 48 kHz, {r.SourceBytes / 1e6:0.0} MB: lavfi testsrc2 + sine, x264 `-preset fast -crf 20`, so decoding costs what a real upload's would.");
        m.AppendLine(Inv, $"- **Ladder:** {string.Join(", ", r.Rays.Select(x => $"{x.Name} {x.Width}×{x.Height} {x.FrameRate:0.##} fps {x.VideoKbps} kbps"))}, plus 128 kbps AAC; x264 preset `{Baseline.Preset}`. Both are the server's defaults.");
        m.AppendLine("- **Bare ffmpeg (baseline):** the source probed with `FfprobeRunner`, rays from `LadderPlanner.Plan(source, LadderPlanner.DefaultTable)`, arguments from `FfmpegCommands.HlsLadder(new HlsLadderRequest(input, outDir, rays, hasAudio) { Preset = \"veryfast\" })`, run as `/usr/bin/ffmpeg` with exactly that argument list (`ProcessStartInfo.ArgumentList`; its `-progress` stdout drained), timed from start to exit. `OUT` below is a fresh directory per run, deleted afterwards (untimed):");
        m.AppendLine();
        m.AppendLine("  ```sh");
        m.AppendLine(Inv, $"  {Shell.Join(Tools.Ffmpeg, r.BaselineArguments)}");
        m.AppendLine("  ```");
        m.AppendLine();
        m.AppendLine(Inv, $"- **CloudSlicer:** one `{r.ServerCommand}` for the whole bench (one slicer, default preset and ladder; `CLOUDSLICER_*` variables cleared; the only change is `Logging__LogLevel__CloudSlicer.Media=Debug`, which logs each ffprobe/ffmpeg start for the phase table), the source served over HTTP by a `LoopbackFileServer`. Timed from sending a signed `/api2/cloudslicer/jobs/create` (`source.url`) until `/jobs/get`, polled every {r.Options.PollMilliseconds} ms, answers `done`: download, probe, encode, poster and storing included. Each asset is checked over HTTP: its master playlist lists the {r.Rays.Count} planned rays and every rendition has as many segments as the baseline's. The server's output is kept in `bench/out/last-server.log`.");
        m.AppendLine(Inv, $"- **Same encode:** {SameCommandText(r.SameCommand)}");
        m.AppendLine(Inv, $"- **Interleaved:** bare ffmpeg, CloudSlicer, bare ffmpeg, CloudSlicer, … ({r.Pairs.Count} pairs), wall clock by `Stopwatch`. The whole bench, source included, took {r.Total.TotalMinutes:0.0} min.");
        m.AppendLine();
        m.AppendLine(SectionEnd);
        return m.ToString();
    }

    /// <summary>Replaces this benchmark's section of the document (or appends it), leaving other sections alone.</summary>
    public static void Write(string path, Results r)
    {
        var section = Section(r).TrimEnd() + "\n";
        var text = File.Exists(path) ? File.ReadAllText(path) : DocHeader;
        var start = text.IndexOf(SectionStart, StringComparison.Ordinal);
        var end = text.IndexOf(SectionEnd, StringComparison.Ordinal);
        if (start >= 0 && end > start)
        {
            text = text[..start] + section.TrimEnd('\n') + text[(end + SectionEnd.Length)..];
        }
        else
        {
            text = text.TrimEnd() + "\n\n" + section;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text.TrimEnd() + "\n");
    }

    /// <summary>The paragraph on where the extra time goes, from the median phases.</summary>
    private static string Overhead(Results r)
    {
        var baseline = r.BaselineMedian.TotalSeconds;
        var extra = r.CloudSlicerMedian.TotalSeconds - baseline;
        var encode = r.PhaseMedian(x => x.Encode);
        var queue = r.PhaseMedian(x => x.Queue);
        var download = r.PhaseMedian(x => x.Download);
        var probe = r.PhaseMedian(x => x.Probe);
        var posterStore = r.PhaseMedian(x => x.PosterAndStore);
        var poll = r.PhaseMedian(x => x.Poll);
        var around = new[] { queue, download, probe, posterStore, poll }.Sum(x => x ?? 0);
        var p = new StringBuilder();
        p.Append(Inv, $"At the median CloudSlicer took {Than(extra, baseline, "longer", "less")} bare ffmpeg. ");
        p.Append(Inv, $"The work around the encode is small and nearly fixed: {around:0.00} s at the median ({around / baseline * 100:0.0}% of the bare encode), made of the create call and the slicer's wake-up {S(queue)} s, fetching the {r.SourceBytes / 1e6:0} MB source over loopback {S(download)} s (one more write of the file than the baseline, which reads it in place), ffprobe and planning {S(probe)} s, the poster frame and storing (a rename on the same file system, then asset.json and master.m3u8) {S(posterStore)} s, and the poll noticing `done` {S(poll)} s. ");
        if (encode is { } e)
        {
            var encodeExtra = e - baseline;
            p.Append(Inv, $"The rest is the encode: the same ffmpeg command took {e:0.00} s inside CloudSlicer against {baseline:0.00} s bare ({encodeExtra / baseline * 100:+0.0;-0.0}%), though the server does nothing to ffmpeg while it runs but read its progress pipe and heartbeat every 2 s. ");
        }

        var cpuExtra = (r.CloudSlicerCpuMedian - r.BaselineCpuMedian).TotalSeconds;
        p.Append(Inv, $"In CPU time CloudSlicer used {Than(cpuExtra, r.BaselineCpuMedian.TotalSeconds, "more", "less")} bare ffmpeg at the median: its media tools {Sec(r.ToolsCpuMedian)} s against {Sec(r.BaselineCpuMedian)} s (the tools include ffprobe and the poster frame, whose accurate seek to 5 s decodes every frame from the source's previous key frame, and x264's own CPU time varies by a few percent from run to run, contended or not), the server process itself {Sec(r.ServerCpuMedian)} s (HTTP, the download, SQLite, heartbeats, answering this bench's polls). ");
        if (r.Pairs.Count > 1 && r.Pairs[0].CloudSlicer.Cpu.Own > 2 * r.Pairs[^1].CloudSlicer.Cpu.Own)
        {
            p.Append(Inv, $"The server's own CPU falls from {Sec(r.Pairs[0].CloudSlicer.Cpu.Own)} s in the first run to {Sec(r.Pairs[^1].CloudSlicer.Cpu.Own)} s in the last: a fresh process JIT-compiles its code paths during its first jobs, on the same cores as ffmpeg (the bench starts one server and does not warm it up, so that cost is in the figures). ");
        }

        p.Append(Inv, $"Because the fixed part does not grow with the source, it weighs more on short sources: a quick `--seconds 10` check shows a higher ratio for that reason alone.");
        return p.ToString();
    }

    /// <summary>"1.11 s (2.4%) longer than" or "0.20 s (0.4%) less than".</summary>
    private static string Than(double difference, double of, string more, string less) =>
        string.Create(Inv, $"{Math.Abs(difference):0.00} s ({Math.Abs(difference) / of * 100:0.0}%) {(difference >= 0 ? more : less)} than");

    private static string PhaseLine(Results r) =>
        $"queue {S(r.PhaseMedian(x => x.Queue))} s, download {S(r.PhaseMedian(x => x.Download))} s, probe {S(r.PhaseMedian(x => x.Probe))} s, "
        + $"encode {S(r.PhaseMedian(x => x.Encode))} s (bare {Sec(r.BaselineMedian)} s), poster+store {S(r.PhaseMedian(x => x.PosterAndStore))} s, poll {S(r.PhaseMedian(x => x.Poll))} s";

    private static string SameCommandText(bool? same) => same switch
    {
        true => "the ladder command the slicer logged is the baseline's argument for argument, paths aside; the two sides run the same encode.",
        false => "**the ladder command the slicer logged differs from the baseline's** (beyond paths); see the bench's output. The ratio compares different encodes.",
        null => "not checked: the slicer's ladder command was not seen in its output.",
    };

    private static string Busy(ContentionFigures c) =>
        c.Steal > TimeSpan.FromSeconds(0.5)
            ? string.Create(Inv, $"{c.Share * 100:0}% ({c.Others.TotalSeconds:0.0} s; {c.Steal.TotalSeconds:0.0} s stolen)")
            : string.Create(Inv, $"{c.Share * 100:0}% ({c.Others.TotalSeconds:0.0} s)");

    /// <summary>Runs more than 10% off their side's median, named so the reader need not find them.</summary>
    private static string Outliers(Results r)
    {
        var notes = new List<string>();
        foreach (var p in r.Pairs)
        {
            var bare = p.Baseline / r.BaselineMedian - 1;
            if (Math.Abs(bare) > 0.10)
            {
                notes.Add(string.Create(Inv, $"pair {p.Number}'s bare ffmpeg run is {bare * 100:+0;-0}% off its median (other processes {p.BaselineContention.Share * 100:0}% of the cores)"));
            }

            var sliced = p.CloudSlicer.Elapsed / r.CloudSlicerMedian - 1;
            if (Math.Abs(sliced) > 0.10)
            {
                notes.Add(string.Create(Inv, $"pair {p.Number}'s CloudSlicer run is {sliced * 100:+0;-0}% off its median (other processes {p.CloudSlicerContention.Share * 100:0}% of the cores)"));
            }
        }

        return notes.Count == 0
            ? " No run is more than 10% off its side's median."
            : $" Outliers: {string.Join("; ", notes)}. The medians set them aside; their pair's ratio says nothing about CloudSlicer.";
    }

    private static string Options(BenchOptions o) =>
        string.Create(Inv, $"`--seconds {o.Seconds} --pairs {o.Pairs} --cancels {o.Cancels} --poll-ms {o.PollMilliseconds}`");

    private static string Sec(TimeSpan t) => t.TotalSeconds.ToString("0.00", Inv);

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", Inv) + " ms";

    private static string S(double? seconds) => seconds is { } s ? s.ToString("0.00", Inv) : "–";
}

/// <summary>Joins an argument list into a line a POSIX shell would split back into the same list.</summary>
public static partial class Shell
{
    public static string Join(string program, IEnumerable<string> args) =>
        string.Join(' ', new[] { program }.Concat(args).Select(Quote));

    public static string Quote(string arg) =>
        arg.Length > 0 && Plain().IsMatch(arg) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_@%+=:,./-]+$")]
    private static partial Regex Plain();
}
