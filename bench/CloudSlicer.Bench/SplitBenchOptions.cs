namespace CloudSlicer.Bench;

/// <summary><c>make bench-split</c>'s command line. Defaults are the recorded run: a 60 s 1080p source, 2 pairs.</summary>
public sealed record SplitBenchOptions : IBenchOptions
{
    public const string Usage = """
        CloudSlicer split-cost benchmark: one long source sliced by two single-core slicers on its parts
        (Slicer:PartSeconds) against one slicer with both cores on the whole source, same output.

          --seconds N        the source's length (default 60)
          --part-seconds X   Slicer:PartSeconds for the split side (default 28.672: two parts of a 60 s source)
          --pairs N          interleaved pairs (default 2)
          --root DIR         repository root (default: found from the working directory)
          --help             this text
        """;

    public int Seconds { get; init; } = 60;

    public double PartSeconds { get; init; } = 28.672;

    public int Pairs { get; init; } = 2;

    public string? Root { get; init; }

    public bool Help { get; init; }

    public static SplitBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SplitBenchOptions();
        var a = new BenchArgs(args);
        while (a.Next())
        {
            o = a.Current switch
            {
                "--seconds" => o with { Seconds = a.WholeNumber(20, 600) },
                "--part-seconds" => o with { PartSeconds = double.Parse(a.Value(), System.Globalization.CultureInfo.InvariantCulture) },
                "--pairs" => o with { Pairs = a.WholeNumber(1, 20) },
                "--root" => o with { Root = a.Value() },
                "--help" or "-h" => o with { Help = true },
                _ => throw a.Unknown(),
            };
        }

        return o;
    }
}
