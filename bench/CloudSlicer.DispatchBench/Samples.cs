using System.Runtime.InteropServices;
using CloudSlicer.Bench;

namespace CloudSlicer.DispatchBench;

public static class Sides
{
    public const string Bare = "bare SKIP LOCKED";
    public const string CloudSlicer = "CloudSlicer";
}

/// <summary>
/// One dispatch. <see cref="Latency"/> is the figure: the client's send (wall clock) to the claim's row update
/// (PostgreSQL's clock_timestamp(), same clock). The other spans split it.
/// </summary>
/// <param name="SendToInserted">Send to the job's INSERT (CloudSlicer: HTTP, api2 decode and signature, validation).</param>
/// <param name="InsertedToClaimed">The INSERT to the claim's UPDATE: commit with NOTIFY, delivery, wake-up, claim statement.</param>
/// <param name="ClientReturned">Send to the producer's answer: the batch returning (bare), the create's HTTP answer read (CloudSlicer).</param>
/// <param name="ClaimReturned">Bare only: send to the claim returning to the worker (Stopwatch, in this process), a check on the clock method.</param>
/// <param name="ClaimStarted">CloudSlicer only: send to the job's last_start, the slicer's clock as its claim began (whole ms).</param>
public sealed record Sample(
    string Side,
    int Index,
    TimeSpan Latency,
    TimeSpan SendToInserted,
    TimeSpan InsertedToClaimed,
    TimeSpan ClientReturned,
    TimeSpan? ClaimReturned,
    TimeSpan? ClaimStarted);

/// <summary>Nearest-rank percentiles of one side's figures.</summary>
public sealed record Distribution(int Count, TimeSpan Min, TimeSpan P50, TimeSpan P90, TimeSpan P99, TimeSpan Max, TimeSpan Mean)
{
    public static Distribution Of(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Distribution(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }

        TimeSpan At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Distribution(sorted.Length, sorted[0], At(0.50), At(0.90), At(0.99), sorted[^1], TimeSpan.FromTicks((long)sorted.Average(t => t.Ticks)));
    }
}

/// <summary>What the figures were measured on.</summary>
public sealed record MachineInfo(int Cores, string CpuModel, string Os, string Runtime)
{
    public static MachineInfo Describe() =>
        new(Environment.ProcessorCount, Machine.ReadCpuModel(), RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription);
}

public sealed class DispatchResults
{
    public required DateTimeOffset Date { get; init; }

    public required MachineInfo Machine { get; init; }

    public required DispatchOptions Options { get; init; }

    public required string PostgresVersion { get; init; }

    public required string CommitSettings { get; init; }

    public required IReadOnlyList<Sample> Samples { get; init; }

    public required TimeSpan ApiCpu { get; init; }

    public required TimeSpan SlicerCpu { get; init; }

    public required TimeSpan PostgresCpu { get; init; }

    public required ContentionFigures Contention { get; init; }

    public required TimeSpan Measured { get; init; }

    public required string LoadBefore { get; init; }

    public required string LoadAfter { get; init; }

    public required TimeSpan Total { get; init; }

    public required IReadOnlyList<string> ProblemLines { get; init; }

    public IEnumerable<Sample> Of(string side) => Samples.Where(s => s.Side == side);

    public Distribution Latency(string side) => Distribution.Of(Of(side).Select(s => s.Latency));

    public Distribution Span(string side, Func<Sample, TimeSpan?> span) =>
        Distribution.Of(Of(side).Select(span).Where(t => t is not null).Select(t => t!.Value));

    /// <summary>
    /// A warning or error from either CloudSlicer process, other than the expected one per job: event 109, "failed
    /// on attempt 1 in a way no retry can mend" (the source answers 404 by design).
    /// </summary>
    public static bool IsProblem(string line) =>
        (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        && !line.Contains("[109]", StringComparison.Ordinal);
}
