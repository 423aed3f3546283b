namespace CloudSlicer.Storage.Jobs;

/// <summary>A slicer's hold on an assigned job. The token fences every later write (claim generation).</summary>
public sealed record Lease(string JobId, string Token, string Slicer);

public sealed record ClaimedJob(CloudSlicer.Core.Jobs.Job Job, Lease Lease);

public enum LeaseStatus
{
    /// <summary>The lease was renewed; keep working.</summary>
    Held,

    /// <summary>The owner cancelled the job; stop now and remove partial output.</summary>
    CancelRequested,

    /// <summary>The lease expired and the job moved on (or was deleted); drop the work.</summary>
    Lost,
}

/// <summary>Human progress text ("Slicing 42%") and the same as a number.</summary>
public sealed record JobProgress(string Text, int Percent);

/// <summary>What a finished job produced.</summary>
public sealed record JobOutput(string? Asset);
