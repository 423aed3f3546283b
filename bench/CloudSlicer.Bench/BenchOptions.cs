using System.Globalization;

namespace CloudSlicer.Bench;

/// <summary>The bench's command line. Defaults are the recorded run: 60 s source, 3 pairs, 3 cancels, docs/benchmarks.md written.</summary>
public sealed record BenchOptions
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
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int(int min, int max)
            {
                var name = args[i];
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'");
            }

            o = args[i] switch
            {
                "--seconds" => o with { Seconds = Int(2, 3600) },
                "--pairs" => o with { Pairs = Int(1, 50) },
                "--cancels" => o with { Cancels = Int(0, 50) },
                "--poll-ms" => o with { PollMilliseconds = Int(50, 100) },
                "--doc" => o with { DocPath = Value() },
                "--no-doc" => o with { WriteDoc = false },
                "--root" => o with { Root = Value() },
                "--keep" => o with { Keep = true },
                "--help" or "-h" => o with { Help = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        return o;
    }
}
