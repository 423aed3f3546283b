using System.Text.Json;
using CloudSlicer.Core;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Storage.Sqlite;

/// <summary>
/// The job queue on one SQLite file (the one-box shape). Each verb is one conditional statement whose
/// row count or RETURNING rows decide the outcome; signals are raised only after the statement committed,
/// so a woken slicer always finds the job. A transition that can cause a Slicebot notification (claim,
/// complete, fail, reap) runs in a transaction with the outbox insert it causes (<see cref="TransitionAsync"/>).
/// </summary>
public sealed partial class SqliteJobQueue(SqliteDatabase db, TimeProvider clock, IOptions<QueueOptions> options, JobSignals signals) : IJobQueue
{
    private readonly QueueOptions _options = options.Value;

    public async Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var rows = await db.QueryAsync(SqliteSql.Enqueue, EnqueueParameters(job, Now()), ReadJob, cancellationToken);
        signals.NotifyWork();
        return rows.Single();
    }

    public Task<ClaimedJob?> TryClaimAsync(string slicer, CancellationToken cancellationToken) =>
        TryClaimAsync(slicer, Enum.GetValues<JobKind>(), cancellationToken);

    public async Task<ClaimedJob?> TryClaimAsync(string slicer, IReadOnlyCollection<JobKind> kinds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(slicer);
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count == 0)
        {
            return null;
        }

        var wireKinds = JsonSerializer.Serialize(kinds.Select(k => k.ToWire()));
        var now = Now();
        var token = Ids.New();
        var rows = await TransitionAsync(
            SqliteSql.Claim,
            [("@now", now), ("@token", token), ("@expires", now + LeaseMs), ("@slicer", slicer), ("@progress", JobTexts.Starting), ("@kinds", wireKinds)],
            cancellationToken);
        return rows is [var job] ? new ClaimedJob(job, new Lease(job.Id, token, slicer)) : null;
    }

    public async Task<int> NoteUnservedKindsAsync(IReadOnlyCollection<JobKind> served, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(served);
        var changed = 0;
        foreach (var kind in Enum.GetValues<JobKind>())
        {
            changed += await db.ExecuteAsync(
                served.Contains(kind) ? SqliteSql.ClearUnservedNote : SqliteSql.NoteUnserved,
                [("@kind", kind.ToWire()), ("@note", JobTexts.NoSlicerFor(kind))],
                cancellationToken);
        }

        return changed;
    }

    public async Task<LeaseStatus> HeartbeatAsync(Lease lease, JobProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(progress);
        var renewed = await db.ExecuteAsync(
            SqliteSql.Heartbeat,
            [
                ("@id", lease.JobId), ("@token", lease.Token), ("@expires", Now() + LeaseMs),
                ("@progress", progress.Text), ("@percent", Math.Clamp(progress.Percent, 0, 100)),
            ],
            cancellationToken);
        if (renewed == 1)
        {
            return LeaseStatus.Held;
        }

        // Not a read-modify-write: the write already failed; this only tells the slicer why. A cancelled
        // job never changes state again, so the answer cannot go stale.
        var cancelled = await db.QueryAsync(
            SqliteSql.WasCancelledUnderLease, [("@id", lease.JobId), ("@token", lease.Token)], r => r.GetBoolean(0), cancellationToken);
        return cancelled is [true] ? LeaseStatus.CancelRequested : LeaseStatus.Lost;
    }

    public async Task<bool> RecordArgsAsync(Lease lease, string argsJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(argsJson);
        var recorded = await TransitionAsync(
            SqliteSql.RecordArgs, [("@id", lease.JobId), ("@token", lease.Token), ("@args", argsJson)], cancellationToken);
        return recorded.Count == 1;
    }

    public async Task<bool> CompleteAsync(Lease lease, JobOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(output);
        var done = await TransitionAsync(
            SqliteSql.Complete,
            [("@id", lease.JobId), ("@token", lease.Token), ("@asset", output.Asset), ("@now", Now()), ("@progress", JobTexts.Finished)],
            cancellationToken);
        return done.Count == 1;
    }

    public async Task<JobState?> FailAsync(Lease lease, string error, CancellationToken cancellationToken)
    {
        var state = await EndAttemptAsync(lease, error, _options.MaxAttempts, cancellationToken);
        if (state == JobState.Waiting)
        {
            signals.NotifyWork();
        }

        return state;
    }

    // No attempts left: the shared end-of-attempt rule sends the job to error (see SqliteSql.Fail).
    public async Task<bool> FailPermanentlyAsync(Lease lease, string error, CancellationToken cancellationToken) =>
        await EndAttemptAsync(lease, error, maxAttempts: 0, cancellationToken) is not null;

    public async Task<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var released = await db.ExecuteAsync(SqliteSql.Release, [("@id", lease.JobId), ("@token", lease.Token)], cancellationToken) == 1;
        if (released)
        {
            signals.NotifyWork();
        }

        return released;
    }

    public async Task<Job?> GetAsync(string owner, string id, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync(SqliteSql.Get, [("@id", id), ("@owner", owner)], ReadJob, cancellationToken);
        return rows.SingleOrDefault();
    }

    public async Task<IReadOnlyList<Job>> ListAsync(string owner, int limit, int skip, CancellationToken cancellationToken)
    {
        // SQLite reads a negative LIMIT as "no limit"; refuse it rather than return everything.
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        return await db.QueryAsync(
            SqliteSql.List, [("@owner", owner), ("@limit", limit), ("@skip", skip)], ReadJob, cancellationToken);
    }

    public async Task<CancelOutcome> CancelAsync(string owner, string id, CancellationToken cancellationToken)
    {
        var cancelled = await db.QueryAsync(
            SqliteSql.Cancel, [("@id", id), ("@owner", owner), ("@now", Now())], ReadJob, cancellationToken);
        foreach (var row in cancelled)
        {
            signals.NotifyCancelled(row.Id);   // the job and its parts
        }

        if (cancelled.Find(j => j.Id == id) is { } job)
        {
            return new CancelOutcome.Cancelled(job);
        }

        // The update matched nothing, so the job is finished (terminal: it cannot move again) or absent.
        return await GetAsync(owner, id, cancellationToken) is { } finished
            ? new CancelOutcome.AlreadyFinished(finished)
            : new CancelOutcome.NotFound();
    }

    public async Task<DeleteOutcome> DeleteAsync(string owner, string id, CancellationToken cancellationToken)
    {
        var deleted = await db.ExecuteAsync(SqliteSql.Delete, [("@id", id), ("@owner", owner)], cancellationToken);
        if (deleted == 1)
        {
            return DeleteOutcome.Deleted;
        }

        // Every other state is deletable, so a row that survived the delete was assigned when it ran.
        var exists = await db.QueryAsync(SqliteSql.Exists, [("@id", id), ("@owner", owner)], r => r.GetBoolean(0), cancellationToken);
        return exists is [true] ? DeleteOutcome.Assigned : DeleteOutcome.NotFound;
    }

    public async Task<int> ReapExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        var jobs = await TransitionAsync(
            SqliteSql.ReapExpiredLeases,
            [("@now", Now()), ("@maxAttempts", _options.MaxAttempts), ("@error", JobTexts.LeaseExpired), .. RetryParameters],
            cancellationToken);
        if (jobs.Any(j => j.State == JobState.Waiting))
        {
            signals.NotifyWork();
        }

        return jobs.Count;
    }

    public async Task<int> EraseFinishedAsync(CancellationToken cancellationToken)
    {
        var cutoff = Now() - (long)_options.Retention.TotalMilliseconds;
        var erased = await db.ExecuteAsync(SqliteSql.EraseFinished, [("@cutoff", cutoff)], cancellationToken);
        await db.ExecuteAsync(SqliteSql.EraseOrphanBatches, [("@cutoff", cutoff)], cancellationToken);
        await db.ExecuteAsync(SqliteSql.ErasePartsOfEndedParents, [], cancellationToken);
        return erased;
    }

    private async Task<JobState?> EndAttemptAsync(Lease lease, string error, int maxAttempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(error);
        var jobs = await TransitionAsync(
            SqliteSql.Fail,
            [("@id", lease.JobId), ("@token", lease.Token), ("@error", error), ("@maxAttempts", maxAttempts), ("@now", Now()), .. RetryParameters],
            cancellationToken);
        return jobs is [var job] ? job.State : null;
    }

    // The transition and the notification it causes commit together: no crash can leave a job done or in
    // error without its done_url or fail_url queued. IMMEDIATE takes the write lock up front, as the
    // autocommit statement alone would.
    private async Task<List<Job>> TransitionAsync(string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var connection = write.Connection;
        var jobs = new List<Job>();
        await using (var command = SqliteDatabase.CreateCommand(connection, sql, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(ReadJob(reader));
            }
        }

        var now = Now();
        foreach (var job in jobs)
        {
            await SqliteNotificationOutbox.EnqueueAsync(connection, job, now, cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        return jobs;
    }

    private long LeaseMs => (long)_options.LeaseDuration.TotalMilliseconds;

    private (string Name, object? Value)[] RetryParameters =>
    [
        ("@retryDelay", (long)_options.RetryDelay.TotalMilliseconds),
        ("@maxRetryDelay", (long)_options.MaxRetryDelay.TotalMilliseconds),
    ];

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static Job ReadJob(SqliteDataReader row) => JobRows.Read(row);
}
