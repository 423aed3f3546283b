using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CloudSlicer.Bench;

/// <summary>What the figures were measured on, and how busy the machine was.</summary>
public sealed record Machine(int Cores, string CpuModel, string FfmpegVersion, string Os, string Runtime)
{
    public static async Task<Machine> DescribeAsync()
    {
        var cpu = ReadCpuModel();
        var ffmpeg = (await Tools.RunAsync(Tools.Ffmpeg, ["-version"], CancellationToken.None)).Split('\n')[0].Trim();
        return new Machine(Environment.ProcessorCount, cpu, ffmpeg, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription);
    }

    /// <summary>The CPU's model name from /proc/cpuinfo ("AMD EPYC ...").</summary>
    public static string ReadCpuModel() =>
        File.ReadLines("/proc/cpuinfo")
            .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault() ?? "unknown";

    /// <summary>The 1-, 5- and 15-minute load averages, as /proc/loadavg has them ("2.01 1.87 1.20").</summary>
    public static string LoadAverage()
    {
        var fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', fields.Take(3));
    }
}

/// <summary>Runs the media tools for set-up work (not the timed runs, which own their processes).</summary>
public static class Tools
{
    public const string Ffmpeg = "/usr/bin/ffmpeg";
    public const string Ffprobe = "/usr/bin/ffprobe";

    public static Task<string> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        CloudSlicer.Testing.MediaClips.RunAsync(tool, args, cancellationToken);
}

/// <summary>
/// CPU time from /proc/&lt;pid&gt;/stat: the process's own (utime + stime) and its reaped children's (cutime + cstime).
/// Unlike wall time it does not grow when other work shares the CPU, so it shows whether a slower run did more work.
/// </summary>
public readonly record struct CpuTimes(TimeSpan Own, TimeSpan Children)
{
    /// <summary>Linux reports these in USER_HZ, which the kernel's user ABI fixes at 100 per second.</summary>
    private const double TicksPerSecond = 100;

    public static CpuTimes Of(int pid) => Parse(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));

    public static CpuTimes OfSelf() => Parse(File.ReadAllText("/proc/self/stat"));

    public static CpuTimes operator -(CpuTimes a, CpuTimes b) => new(a.Own - b.Own, a.Children - b.Children);

    public TimeSpan Total => Own + Children;

    private static CpuTimes Parse(string stat)
    {
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        TimeSpan Field(int number) => TimeSpan.FromSeconds(long.Parse(fields[number - 3], CultureInfo.InvariantCulture) / TicksPerSecond);
        return new CpuTimes(Field(14) + Field(15), Field(16) + Field(17));
    }
}

/// <summary>
/// What the rest of the machine did while one run was timed: CPU time used by processes outside the run (from
/// /proc/stat's busy time minus the run's and this bench's own), and time the hypervisor stole. The load average is
/// no substitute here: it counts every ffmpeg thread waiting for a core, and on this VM it stays high when idle.
/// </summary>
public sealed class Contention
{
    private const double TicksPerSecond = 100;   // USER_HZ, as in CpuTimes

    private readonly long _busy;
    private readonly long _steal;
    private readonly TimeSpan _benchOwn;
    private readonly long _start;

    private Contention()
    {
        (_busy, _steal) = ReadStat();
        _benchOwn = CpuTimes.OfSelf().Own;
        _start = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public static Contention Start() => new();

    /// <param name="runCpu">The CPU time the run under test used (its processes, measured separately).</param>
    public ContentionFigures Stop(TimeSpan runCpu)
    {
        var (busy, steal) = ReadStat();
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_start);
        var bench = CpuTimes.OfSelf().Own - _benchOwn;
        var others = TimeSpan.FromSeconds((busy - _busy) / TicksPerSecond) - runCpu - bench;
        var capacity = wall * Environment.ProcessorCount;
        return new ContentionFigures(
            others < TimeSpan.Zero ? TimeSpan.Zero : others,
            TimeSpan.FromSeconds((steal - _steal) / TicksPerSecond),
            capacity > TimeSpan.Zero ? Math.Max(0, others / capacity) : 0);
    }

    /// <summary>The aggregate "cpu" line: busy = user + nice + system + irq + softirq (guest time is inside user); steal apart.</summary>
    private static (long Busy, long Steal) ReadStat()
    {
        var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return (f[0] + f[1] + f[2] + f[5] + f[6], f.Length > 7 ? f[7] : 0);
    }
}

/// <param name="Others">CPU time used by processes outside the run under test (and outside this bench).</param>
/// <param name="Steal">Time the hypervisor gave this VM's CPUs to others.</param>
/// <param name="Share">Others as a share of the machine's capacity over the run (cores × wall time).</param>
public readonly record struct ContentionFigures(TimeSpan Others, TimeSpan Steal, double Share);
