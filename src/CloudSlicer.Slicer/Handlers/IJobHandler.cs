using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>Does one kind of job. Throws <see cref="JobFailedException"/> (or a media/source error) to fail the attempt.</summary>
public interface IJobHandler
{
    JobKind Kind { get; }

    Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken);

    /// <summary>Removes an output that could not be recorded (the job was cancelled or taken over meanwhile).</summary>
    Task DiscardAsync(JobOutput output, CancellationToken cancellationToken);
}

/// <summary>
/// What a handler gets besides the job: its scratch directory, its progress, a way to beat now, and a way to
/// store the settings it runs with (args merged with a sidecar; false when the lease no longer holds). A create job
/// that splits its source (docs/parts.md) also gets its <paramref name="Lease"/> (its parts are queued under it) and
/// <paramref name="RunPart"/>: claim one waiting part of the job named and encode it on this slicer, false when none waits.
/// </summary>
public sealed record JobContext(
    WorkDirectory Work,
    JobProgressTracker Progress,
    Func<CancellationToken, Task> HeartbeatNow,
    Func<string, CancellationToken, Task<bool>> RecordArgs,
    Lease? Lease = null,
    Func<string, CancellationToken, Task<bool>>? RunPart = null);
