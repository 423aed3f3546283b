using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Jobs;

/// <summary>
/// Parts of a long create job (docs/parts.md): jobs of kind <see cref="JobKind.SlicePart"/> whose parent is the
/// create job. Owners never see them (<see cref="GetAsync"/> and <see cref="ListAsync"/> skip them), a cancel of
/// the parent cancels them, and a part is claimed (by <see cref="TryClaimAsync(string, IReadOnlyCollection{JobKind}, CancellationToken)"/>
/// or <see cref="TryClaimPartAsync"/>) only while its parent is assigned. Parts have their own attempts, leases and
/// retries; every other verb treats them as jobs.
/// </summary>
public partial interface IJobQueue
{
    /// <summary>
    /// Queues <paramref name="parts"/> (kind <see cref="JobKind.SlicePart"/>, the parent's owner) under the job
    /// <paramref name="parent"/> holds, all or none, in the order given. Empty when the parent's lease no longer
    /// holds (fenced).
    /// </summary>
    Task<IReadOnlyList<Job>> EnqueuePartsAsync(Lease parent, IReadOnlyList<NewJob> parts, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the oldest waiting part of <paramref name="parent"/> (work stealing: the parent's slicer encodes its
    /// own job's parts instead of only waiting for other slicers), or null when none waits.
    /// </summary>
    Task<ClaimedJob?> TryClaimPartAsync(string slicer, string parent, CancellationToken cancellationToken);

    /// <summary>Every part of <paramref name="parent"/>, in the order they were queued.</summary>
    Task<IReadOnlyList<Job>> ListPartsAsync(string parent, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels every waiting or assigned part of the job <paramref name="parent"/> holds (its attempt failed, or a
    /// new attempt replaces an earlier one's parts); their slicers learn it as they learn any cancel. Returns how
    /// many; 0 when the parent's lease no longer holds (fenced).
    /// </summary>
    Task<int> CancelPartsAsync(Lease parent, CancellationToken cancellationToken);
}
