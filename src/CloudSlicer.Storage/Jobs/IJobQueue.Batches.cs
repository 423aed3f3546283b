using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Jobs;

/// <summary>
/// Batches (<c>/batch/copy-from-library</c>): a batch is a record of its jobs, one per asset it was asked about;
/// its states are read from those jobs, so nothing about a batch can disagree with its jobs.
/// </summary>
public partial interface IJobQueue
{
    /// <summary>Queues every job of a batch and the batch itself in one transaction: all of them or none.</summary>
    Task<IReadOnlyList<Job>> EnqueueBatchAsync(string owner, string batchId, IReadOnlyList<BatchEntry> entries, CancellationToken cancellationToken);

    /// <summary>Each job of the owner's batch with the asset it was about, or null when the owner has no such batch.</summary>
    Task<IReadOnlyList<BatchJobState>?> GetBatchAsync(string owner, string batchId, CancellationToken cancellationToken);
}

/// <summary>One job of a batch and the asset it is about (for a copy, the asset copied).</summary>
public sealed record BatchEntry(NewJob Job, string Asset);

/// <summary>Where one job of a batch stands; <paramref name="Output"/> is the asset it made once done.</summary>
public sealed record BatchJobState(string Asset, string Job, JobState State, string? Output);
