using System.Collections.Frozen;

namespace CloudSlicer.Core.Jobs;

/// <summary>The life cycle of a job, in one table. The SQL of every store mirrors it with <c>WHERE state = @from</c>.</summary>
public static class JobLifecycle
{
    private static readonly FrozenSet<(JobState From, JobState To)> Edges = new[]
    {
        (JobState.Waiting, JobState.Assigned),    // a slicer claimed it: attempts + 1, last_start
        (JobState.Assigned, JobState.Done),       // the slicer published its output
        (JobState.Assigned, JobState.Waiting),    // an attempt failed or the lease expired, attempts remain
        (JobState.Assigned, JobState.Error),      // attempts exhausted
        (JobState.Waiting, JobState.Cancelled),
        (JobState.Assigned, JobState.Cancelled),  // the running slicer is told and stops
    }.ToFrozenSet();

    public static bool CanMove(JobState from, JobState to) => Edges.Contains((from, to));

    public static bool IsFinished(this JobState state) =>
        state is JobState.Done or JobState.Error or JobState.Cancelled;

    public static bool CanCancel(this JobState state) => state is JobState.Waiting or JobState.Assigned;

    public static bool CanDelete(this JobState state) => state is not JobState.Assigned;

    public static string ToWire(this JobState state) => state switch
    {
        JobState.Waiting => "waiting",
        JobState.Assigned => "assigned",
        JobState.Done => "done",
        JobState.Error => "error",
        JobState.Cancelled => "cancelled",
    };

    public static JobState ParseWire(string state) => state switch
    {
        "waiting" => JobState.Waiting,
        "assigned" => JobState.Assigned,
        "done" => JobState.Done,
        "error" => JobState.Error,
        "cancelled" => JobState.Cancelled,
        _ => throw new FormatException($"'{state}' is not a job state"),
    };
}
