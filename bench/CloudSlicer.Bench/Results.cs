using CloudSlicer.Core.Assets;

namespace CloudSlicer.Bench;

/// <summary>One interleaved pair: the bare ffmpeg run, then the CloudSlicer run, each with what the rest of the machine did meanwhile.</summary>
public sealed record Pair(int Number, TimeSpan Baseline, TimeSpan BaselineCpu, ContentionFigures BaselineContention, SlicingResult CloudSlicer, ContentionFigures CloudSlicerContention)
{
    public double Ratio => CloudSlicer.Elapsed / Baseline;

    public double CpuRatio => CloudSlicer.Cpu.Total / BaselineCpu;
}

/// <summary>Everything the report is made from.</summary>
public sealed record Results
{
    public required DateTimeOffset Date { get; init; }

    public required Machine Machine { get; init; }

    public required BenchOptions Options { get; init; }

    public required string SourcePath { get; init; }

    public required long SourceBytes { get; init; }

    public required SourceInfo Source { get; init; }

    public required IReadOnlyList<Ray> Rays { get; init; }

    public required IReadOnlyList<string> BaselineArguments { get; init; }

    public required string BaselineOutputPlaceholder { get; init; }

    public required string ServerCommand { get; init; }

    public required IReadOnlyList<Pair> Pairs { get; init; }

    /// <summary>Whether the slicer's logged ladder command matched the baseline's (paths aside); null when not logged.</summary>
    public required bool? SameCommand { get; init; }

    public required IReadOnlyList<CancelResult> Cancels { get; init; }

    public required string LoadBefore { get; init; }

    public required string LoadAfter { get; init; }

    public required TimeSpan Total { get; init; }

    public const double RatioGoal = 1.05;

    public static readonly TimeSpan CancelGoal = TimeSpan.FromSeconds(1);

    public TimeSpan BaselineMedian => Median(Pairs.Select(p => p.Baseline));

    public TimeSpan CloudSlicerMedian => Median(Pairs.Select(p => p.CloudSlicer.Elapsed));

    public double Ratio => CloudSlicerMedian / BaselineMedian;

    /// <summary>Judged on the ratio as printed (three decimals), so the verdict never disagrees with the figure beside it.</summary>
    public bool RatioMet => Math.Round(Ratio, 3) <= RatioGoal;

    /// <summary>How far apart the bare ffmpeg runs were, (max - min) / median: the run-to-run noise of the encode itself.</summary>
    public double BaselineSpread =>
        Pairs.Count < 2 ? 0 : (Pairs.Max(p => p.Baseline) - Pairs.Min(p => p.Baseline)) / BaselineMedian;

    /// <summary>Whether the ratio is nearer the goal than the noise: another run could land on the other side.</summary>
    public bool WithinNoise => Pairs.Count > 1 && Math.Abs(Ratio - RatioGoal) < BaselineSpread;

    public TimeSpan BaselineCpuMedian => Median(Pairs.Select(p => p.BaselineCpu));

    public TimeSpan CloudSlicerCpuMedian => Median(Pairs.Select(p => p.CloudSlicer.Cpu.Total));

    public double CpuRatio => CloudSlicerCpuMedian / BaselineCpuMedian;

    /// <summary>Median CPU of CloudSlicer's media tools (ffprobe, the ladder, the poster).</summary>
    public TimeSpan ToolsCpuMedian => Median(Pairs.Select(p => p.CloudSlicer.Cpu.Children));

    /// <summary>Median CPU of the server process itself (HTTP, download, SQLite, heartbeats, answering the polls).</summary>
    public TimeSpan ServerCpuMedian => Median(Pairs.Select(p => p.CloudSlicer.Cpu.Own));

    public TimeSpan? CancelMax => Cancels.Count == 0 ? null : Cancels.Max(c => c.Stopped);

    public static TimeSpan Median(IEnumerable<TimeSpan> values) =>
        TimeSpan.FromTicks((long)Median(values.Select(v => (double)v.Ticks)));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The median of one phase over the runs where it was seen; null when never seen.</summary>
    public double? PhaseMedian(Func<JobPhases, double?> phase)
    {
        var seen = Pairs.Select(p => phase(p.CloudSlicer.Phases)).OfType<double>().ToList();
        return seen.Count == 0 ? null : Median(seen);
    }
}
