using System.Globalization;

namespace CloudSlicer.Bench;

/// <summary>The bench's command line. Defaults are the recorded run: 60 s source, 3 pairs, 3 cancels, docs/benchmarks.md written.</summary>
public sealed record BenchOptions : IBenchOptions
{
    public const string Usage = """
        CloudSlicer slicing benchmark: CloudSlicer vs the bare ffmpeg command that makes the same ladder.

          --seconds N        source length in seconds (default 60; e.g. 10 for a quick check)
          --pairs N          interleaved baseline/CloudSlicer pairs (default 3)
          --cancels N        cancel-latency trials (default 3; 0 skips them)
          --poll-ms N        jobs/get polling interval in ms, 50..100 (default 100)
          --doc PATH         where to write the figures (default docs/benchmarks.md)
          --no-doc           print the summary only (use for quick checks)
          --root DIR         repository root (default: found from the working directory)
          --keep             keep the temporary data and output directories
          --help             this text
        """;

    public int Seconds { get; init; } = 60;

    public int Pairs { get; init; } = 3;

    public int Cancels { get; init; } = 3;

    public int PollMilliseconds { get; init; } = 100;

    public string? DocPath { get; init; }

    public bool WriteDoc { get; init; } = true;

    public string? Root { get; init; }

    public bool Keep { get; init; }

    public bool Help { get; init; }

    /// <summary>The options as given, for the report ("" when all are defaults).</summary>
    public IReadOnlyList<string> Given { get; init; } = [];

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions { Given = args.ToArray() };
        var a = new BenchArgs(args);
        while (a.Next())
        {
            o = a.Current switch
            {
                "--seconds" => o with { Seconds = a.WholeNumber(2, 3600) },
                "--pairs" => o with { Pairs = a.WholeNumber(1, 50) },
                "--cancels" => o with { Cancels = a.WholeNumber(0, 50) },
                "--poll-ms" => o with { PollMilliseconds = a.WholeNumber(50, 100) },
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
}
