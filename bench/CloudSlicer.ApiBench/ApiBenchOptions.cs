using System.Globalization;

using CloudSlicer.Bench;

namespace CloudSlicer.ApiBench;

/// <summary>The bench's command line. Defaults are the recorded run: 3 rounds, 16 workers, 10 s per phase after 2 s of warm-up.</summary>
public sealed record ApiBenchOptions : IBenchOptions
{
    public const string Usage = """
        CloudSlicer job API benchmark: signed api2 jobs/create and jobs/get against a bare ASP.NET Core endpoint
        doing the same single SQLite statement, interleaved in one run.

          --rounds N         interleaved rounds; each runs baseline and CloudSlicer create, then get (default 3)
          --concurrency N    concurrent client workers, one pooled connection each (default 16)
          --seconds N        measured seconds per phase (default 10)
          --warmup N         unmeasured warm-up seconds before each phase (default 2)
          --micro N          iterations of the in-process codec/signature timings (default 20000)
          --doc PATH         where to write the figures (default docs/benchmarks.md)
          --no-doc           print the summary only (use for quick checks)
          --root DIR         repository root (default: found from the working directory)
          --keep             keep the temporary data directory
          --help             this text
        """;

    public int Rounds { get; init; } = 3;

    public int Concurrency { get; init; } = 16;

    public int Seconds { get; init; } = 10;

    public int Warmup { get; init; } = 2;

    public int MicroIterations { get; init; } = 20_000;

    public string? DocPath { get; init; }

    public bool WriteDoc { get; init; } = true;

    public string? Root { get; init; }

    public bool Keep { get; init; }

    public bool Help { get; init; }

    public static ApiBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new ApiBenchOptions();
        var a = new BenchArgs(args);
        while (a.Next())
        {
            o = a.Current switch
            {
                "--rounds" => o with { Rounds = a.WholeNumber(1, 50) },
                "--concurrency" => o with { Concurrency = a.WholeNumber(1, 1024) },
                "--seconds" => o with { Seconds = a.WholeNumber(1, 3600) },
                "--warmup" => o with { Warmup = a.WholeNumber(0, 600) },
                "--micro" => o with { MicroIterations = a.WholeNumber(100, 10_000_000) },
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
        $"--rounds {Rounds} --concurrency {Concurrency} --seconds {Seconds} --warmup {Warmup} --micro {MicroIterations}");
}
