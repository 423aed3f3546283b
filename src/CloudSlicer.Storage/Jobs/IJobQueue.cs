using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Jobs;

/// <summary>
/// The durable job queue. Every state change is one conditional statement in the store; writes from a
/// slicer carry its <see cref="Lease"/> so a slicer whose lease expired cannot touch the job again.
/// Owner-facing verbs take the caller's owner id: another owner's job is simply not found.
/// </summary>
public partial interface IJobQueue
{
    Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken);

    /// <summary>Claims the next waiting job (oldest first, fair across owners), or null when none waits.</summary>
    Task<ClaimedJob?> TryClaimAsync(string slicer, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="TryClaimAsync(string, CancellationToken)"/>, among jobs of <paramref name="kinds"/> only: a
    /// slicer claims what it has a handler for, so a job of another kind waits for a slicer that can do it
    /// instead of spending its attempts here.
    /// </summary>
    Task<ClaimedJob?> TryClaimAsync(string slicer, IReadOnlyCollection<JobKind> kinds, CancellationToken cancellationToken);

    /// <summary>
    /// Tells waiting jobs whether a running slicer can do them: a waiting job whose kind is not in
    /// <paramref name="served"/> gets <see cref="JobTexts.NoSlicerFor"/> as its progress, and loses that note
    /// once its kind is served again. Touches waiting jobs' progress only, never their state, attempts or
    /// retry time. Returns how many jobs changed.
    /// </summary>
    Task<int> NoteUnservedKindsAsync(IReadOnlyCollection<JobKind> served, CancellationToken cancellationToken);

    /// <summary>Renews the lease and records progress; says whether the job was cancelled or the lease lost.</summary>
    Task<LeaseStatus> HeartbeatAsync(Lease lease, JobProgress progress, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the settings the job runs with after its slicer merged a <c>.cfg</c> sidecar, so what the job
    /// reports and notifies (done_url, fail_url, and a start_url the sidecar named) follows them. False when fenced.
    /// </summary>
    Task<bool> RecordArgsAsync(Lease lease, string argsJson, CancellationToken cancellationToken);

    /// <summary>Marks the job done with its output; false when the lease no longer holds (fenced).</summary>
    Task<bool> CompleteAsync(Lease lease, JobOutput output, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt: back to waiting, or error when attempts are spent. Null when fenced.</summary>
    Task<JobState?> FailAsync(Lease lease, string error, CancellationToken cancellationToken);

    /// <summary>
    /// Records a failure no later attempt can mend (a refused address, a 4xx, a container outside the
    /// allow-list): the job goes to error now, its attempts as counted. False when fenced.
    /// </summary>
    Task<bool> FailPermanentlyAsync(Lease lease, string error, CancellationToken cancellationToken);

    /// <summary>
    /// Hands an assigned job back to waiting without spending an attempt (its slicer is shutting down
    /// cleanly, so the attempt was not the job's fault). False when fenced.
    /// </summary>
    Task<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken);

    Task<Job?> GetAsync(string owner, string id, CancellationToken cancellationToken);

    /// <summary>The owner's jobs, newest first.</summary>
    Task<IReadOnlyList<Job>> ListAsync(string owner, int limit, int skip, CancellationToken cancellationToken);

    Task<CancelOutcome> CancelAsync(string owner, string id, CancellationToken cancellationToken);

    Task<DeleteOutcome> DeleteAsync(string owner, string id, CancellationToken cancellationToken);

    /// <summary>Returns jobs whose lease expired to waiting (an attempt spent) or to error. Returns how many moved.</summary>
    Task<int> ReapExpiredLeasesAsync(CancellationToken cancellationToken);

    /// <summary>Erases jobs finished (done, error, cancelled) longer ago than the retention. Returns how many.</summary>
    Task<int> EraseFinishedAsync(CancellationToken cancellationToken);
}
