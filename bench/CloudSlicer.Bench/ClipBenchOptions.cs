namespace CloudSlicer.Bench;

/// <summary><c>make bench-clip</c>'s command line. Defaults are the recorded run: a 10 s clip from a 60 s and a 600 s asset, 5 rounds.</summary>
public sealed record ClipBenchOptions : IBenchOptions
{
    public const string Usage = """
        CloudSlicer quick-clip benchmark: a 10 s /jobs/quickclip from a short and a long asset, side by side, against
        the bare ffmpeg command that makes the same clip (the same HLS ladder of the source, -ss/-t).

          --short N          the short source, in seconds (default 60)
          --long N           the long source, in seconds (default 600)
          --clip-ms N        the clip's length in ms (default 10000)
          --offset-ms N      where the clip starts in the short asset, in ms (default 25000; the long asset's clip starts
                             a multiple of 512 s later, at the same place on the 4.096 s slice grid)
          --rounds N         interleaved rounds (default 5)
          --poll-ms N        jobs/get polling interval in ms, 20..100 (default 50)
          --doc PATH         where to write the figures (default docs/benchmarks.md)
          --no-doc           print the section only
          --root DIR         repository root (default: found from the working directory)
          --keep             keep the temporary data and output directories
          --help             this text
        """;

    public int ShortSeconds { get; init; } = 60;

    public int LongSeconds { get; init; } = 600;

    public int ClipMilliseconds { get; init; } = 10_000;

    public int OffsetMilliseconds { get; init; } = 25_000;

    public int Rounds { get; init; } = 5;

    public int PollMilliseconds { get; init; } = 50;

    public string? DocPath { get; init; }

    public bool WriteDoc { get; init; } = true;

    public string? Root { get; init; }

    public bool Keep { get; init; }

    public bool Help { get; init; }

    public IReadOnlyList<string> Given { get; init; } = [];

    public static ClipBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new ClipBenchOptions { Given = args.ToArray() };
        var a = new BenchArgs(args);
        while (a.Next())
        {
            o = a.Current switch
            {
                "--short" => o with { ShortSeconds = a.WholeNumber(10, 3600) },
                "--long" => o with { LongSeconds = a.WholeNumber(10, 7200) },
                "--clip-ms" => o with { ClipMilliseconds = a.WholeNumber(500, 600_000) },
                "--offset-ms" => o with { OffsetMilliseconds = a.WholeNumber(0, 3_600_000) },
                "--rounds" => o with { Rounds = a.WholeNumber(1, 50) },
                "--poll-ms" => o with { PollMilliseconds = a.WholeNumber(20, 100) },
                "--doc" => o with { DocPath = a.Value() },
                "--no-doc" => o with { WriteDoc = false },
                "--root" => o with { Root = a.Value() },
                "--keep" => o with { Keep = true },
                "--help" or "-h" => o with { Help = true },
                _ => throw a.Unknown(),
            };
        }

        return o.OffsetMilliseconds + o.ClipMilliseconds > o.ShortSeconds * 1000
            ? throw new ArgumentException("the clip (--offset-ms + --clip-ms) must lie inside the short source")
            : o.LongSeconds < o.ShortSeconds ? throw new ArgumentException("--long must be at least --short") : o;
    }
}
