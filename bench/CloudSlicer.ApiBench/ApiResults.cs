namespace CloudSlicer.ApiBench;

public static class Sides
{
    public const string Baseline = "baseline";
    public const string CloudSlicer = "CloudSlicer";
}

public static class Ops
{
    public const string Create = "create";
    public const string Get = "get";
}

/// <summary>One side's figures for one operation over all rounds: medians of the per-round figures.</summary>
public sealed record SideFigures(IReadOnlyList<PhaseResult> Rounds)
{
    public double RequestsPerSecond => Median(Rounds.Select(r => r.RequestsPerSecond));

    public TimeSpan P50 => TimeSpan.FromTicks((long)Median(Rounds.Select(r => (double)r.P50.Ticks)));

    public TimeSpan P99 => TimeSpan.FromTicks((long)Median(Rounds.Select(r => (double)r.P99.Ticks)));

    public TimeSpan Max => Rounds.Max(r => r.Max);

    public long Requests => Rounds.Sum(r => r.Count);

    public long Slow => Rounds.Sum(r => r.Slow);

    public TimeSpan? ServerCpuPerRequest => Rounds.All(r => r.ServerCpuPerRequest is not null)
        ? TimeSpan.FromTicks((long)Median(Rounds.Select(r => (double)r.ServerCpuPerRequest!.Value.Ticks)))
        : null;

    public TimeSpan BenchCpuPerRequest => TimeSpan.FromTicks((long)Median(Rounds.Select(r => (double)r.BenchCpuPerRequest.Ticks)));

    /// <summary>The spread of the rounds' throughput: (max − min) / median.</summary>
    public double ThroughputSpread => RequestsPerSecond > 0
        ? (Rounds.Max(r => r.RequestsPerSecond) - Rounds.Min(r => r.RequestsPerSecond)) / RequestsPerSecond
        : 0;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

public sealed class ApiResults
{
    public required DateTimeOffset Date { get; init; }

    public required MachineInfo Machine { get; init; }

    public required ApiBenchOptions Options { get; init; }

    public required IReadOnlyList<PhaseResult> Phases { get; init; }

    public required MicroResults Micro { get; init; }

    public required string ServerCommand { get; init; }

    /// <summary>Warnings, errors and "database is locked" lines from the server's output.</summary>
    public required IReadOnlyList<string> ServerProblemLines { get; init; }

    public required string LoadBefore { get; init; }

    public required string LoadAfter { get; init; }

    public required TimeSpan Total { get; init; }

    public long TotalFailures => Phases.Sum(p => p.Failures);

    public long TotalSent => Phases.Sum(p => p.Sent);

    public SideFigures Figures(string side, string op) => new(Phases.Where(p => p.Side == side && p.Operation == op).OrderBy(p => p.Round).ToList());

    /// <summary>median(CloudSlicer requests/s) / median(baseline requests/s).</summary>
    public double ThroughputRatio(string op) => Figures(Sides.CloudSlicer, op).RequestsPerSecond / Figures(Sides.Baseline, op).RequestsPerSecond;

    /// <summary>median(CloudSlicer p99) / median(baseline p99).</summary>
    public double P99Ratio(string op) => Figures(Sides.CloudSlicer, op).P99 / Figures(Sides.Baseline, op).P99;

    public static bool IsProblem(string line) =>
        line.Contains(" warn:", StringComparison.Ordinal) || line.Contains(" fail:", StringComparison.Ordinal)
        || line.Contains(" crit:", StringComparison.Ordinal) || line.Contains("locked", StringComparison.OrdinalIgnoreCase)
        || line.Contains("SQLite Error", StringComparison.OrdinalIgnoreCase);
}
