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
/// store the settings it runs with (args merged with a sidecar; false when the lease no longer holds).
/// </summary>
public sealed record JobContext(
    WorkDirectory Work, JobProgressTracker Progress, Func<CancellationToken, Task> HeartbeatNow, Func<string, CancellationToken, Task<bool>> RecordArgs);
