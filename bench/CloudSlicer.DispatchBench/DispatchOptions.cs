using System.Globalization;
using CloudSlicer.Bench;

namespace CloudSlicer.DispatchBench;

/// <summary>The bench's command line. Defaults are the recorded run: 200 samples a side, interleaved.</summary>
public sealed record DispatchOptions : IBenchOptions
{
    public const string Usage = """
        CloudSlicer dispatch latency benchmark: signed jobs/create on `serve --slicers 0` until the job is assigned
        by an idle `cloudslicer slicer --count 1`, against a bare SKIP LOCKED loop (INSERT + NOTIFY, LISTEN + claim)
        on the same PostgreSQL database, interleaved in one run.

          --samples N        measured samples per side (default 200)
          --warmup N         unmeasured samples per side first (default 10)
          --idle MS          mean pause after a job ended before the next create, so the slicer is idle (default 100;
                             each pause is drawn from 0.5-1.5 times it, so samples do not lock onto the slicer's poll)
          --nice N           run PostgreSQL, both cloudslicer processes and this one at niceness N (e.g. -10, as root)
                             on a machine busy with other work, so every side waits less for a core (default 0)
          --no-fsync         run PostgreSQL as the tests do (fsync, synchronous_commit, full_page_writes off)
                             instead of with its durable defaults
          --doc PATH         where to write the figures (default docs/benchmarks.md)
          --no-doc           print the summary only (use for quick checks)
          --root DIR         repository root (default: found from the working directory)
          --keep             keep the temporary directory (PostgreSQL cluster, data directories)
          --help             this text
        """;

    public int Samples { get; init; } = 200;

    public int Warmup { get; init; } = 10;

    public int IdleMs { get; init; } = 100;

    public bool Durable { get; init; } = true;

    public int Nice { get; init; }

    public string? DocPath { get; init; }

    public bool WriteDoc { get; init; } = true;

    public string? Root { get; init; }

    public bool Keep { get; init; }

    public bool Help { get; init; }

    public static DispatchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new DispatchOptions();
        var a = new BenchArgs(args);
        while (a.Next())
        {
            o = a.Current switch
            {
                "--samples" => o with { Samples = a.WholeNumber(1, 100_000) },
                "--warmup" => o with { Warmup = a.WholeNumber(0, 10_000) },
                "--idle" => o with { IdleMs = a.WholeNumber(0, 60_000) },
                "--no-fsync" => o with { Durable = false },
                "--nice" => o with { Nice = int.Parse(a.Value(), CultureInfo.InvariantCulture) is var n and >= -20 and <= 19 ? n : throw new ArgumentException("--nice takes -20 to 19") },
                "--doc" => o with { DocPath = a.Value() },
                "--no-doc" => o with { WriteDoc = false },
                "--root" => o with { Root = a.Value() },
                "--keep" => o with { Keep = true },
                "--help" or "-h" => o with { Help = true },
                _ => throw a.Unknown(),
            };
        }

        return o;
    }

    /// <summary>The options in effect, as a command line (every value spelled out).</summary>
    public string Spelled() => string.Create(CultureInfo.InvariantCulture,
        $"--samples {Samples} --warmup {Warmup} --idle {IdleMs}{(Nice != 0 ? $" --nice {Nice}" : "")}{(Durable ? "" : " --no-fsync")}");
}
