using CloudSlicer.Core;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// The job queue on a PostgreSQL database shared by every process of a deployment; the same verbs and outcomes as
/// <c>SqliteJobQueue</c>, one conditional statement each. A transition that can cause a Slicebot notification
/// commits with the outbox insert it causes; one that makes a job waiting, or cancels an assigned job, commits
/// with a NOTIFY, which <see cref="PostgresJobListener"/> in every other process turns into its own
/// <see cref="JobSignals"/>. This process's signals are raised directly once the transaction committed.
/// </summary>
public sealed partial class PostgresJobQueue(PostgresDatabase db, TimeProvider clock, IOptions<QueueOptions> options, JobSignals signals) : IJobQueue
{
    private readonly QueueOptions _options = options.Value;
    private readonly string _origin = PostgresJobChannels.OriginOf(signals);

    public async Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        // One statement, one round trip: the create call's latency is mostly round trips to the database.
        var enqueued = (await db.QueryAsync(
            PostgresJobSql.EnqueueAndAnnounce, [.. EnqueueParameters(job, Now()), ("origin", _origin)], JobRows.Read, cancellationToken)
            .ConfigureAwait(false)).Single();
        signals.NotifyWork();
        return enqueued;
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

        var now = Now();
        var token = Ids.New();
        var rows = await TransitionAsync(
            PostgresJobSql.Claim,
            [
                ("now", now), ("token", token), ("expires", now + LeaseMs), ("slicer", slicer), ("progress", JobTexts.Starting),
                ("kinds", kinds.Select(k => k.ToWire()).ToArray()),
            ],
            cancellationToken).ConfigureAwait(false);
        return rows is [var job] ? new ClaimedJob(job, new Lease(job.Id, token, slicer)) : null;
    }

    public async Task<int> NoteUnservedKindsAsync(IReadOnlyCollection<JobKind> served, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(served);
        var changed = 0;
        foreach (var kind in Enum.GetValues<JobKind>())
        {
            changed += await db.ExecuteAsync(
                served.Contains(kind) ? PostgresJobSql.ClearUnservedNote : PostgresJobSql.NoteUnserved,
                [("kind", kind.ToWire()), ("note", JobTexts.NoSlicerFor(kind))],
                cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }

    public async Task<LeaseStatus> HeartbeatAsync(Lease lease, JobProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(progress);
        var renewed = await db.ExecuteAsync(
            PostgresJobSql.Heartbeat,
            [
                ("id", lease.JobId), ("token", lease.Token), ("expires", Now() + LeaseMs),
                ("progress", progress.Text), ("percent", Math.Clamp(progress.Percent, 0, 100)),
            ],
            cancellationToken).ConfigureAwait(false);
        if (renewed == 1)
        {
            return LeaseStatus.Held;
        }

        // Only tells the slicer why the write failed; a cancelled job never changes state again.
        var cancelled = await db.QueryAsync(
            PostgresJobSql.WasCancelledUnderLease, [("id", lease.JobId), ("token", lease.Token)], r => r.GetBoolean(0), cancellationToken).ConfigureAwait(false);
        return cancelled is [true] ? LeaseStatus.CancelRequested : LeaseStatus.Lost;
    }

    public async Task<bool> RecordArgsAsync(Lease lease, string argsJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(argsJson);
        var recorded = await TransitionAsync(
            PostgresJobSql.RecordArgs, [("id", lease.JobId), ("token", lease.Token), ("args", argsJson)], cancellationToken).ConfigureAwait(false);
        return recorded.Count == 1;
    }

    public async Task<bool> CompleteAsync(Lease lease, JobOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(output);
        var done = await TransitionAsync(
            PostgresJobSql.Complete,
            [("id", lease.JobId), ("token", lease.Token), ("asset", output.Asset), ("now", Now()), ("progress", JobTexts.Finished)],
            cancellationToken).ConfigureAwait(false);
        return done.Count == 1;
    }

    public async Task<JobState?> FailAsync(Lease lease, string error, CancellationToken cancellationToken) =>
        await EndAttemptAsync(lease, error, _options.MaxAttempts, cancellationToken).ConfigureAwait(false);

    // No attempts left: the shared end-of-attempt rule sends the job to error (see PostgresJobSql.Fail).
    public async Task<bool> FailPermanentlyAsync(Lease lease, string error, CancellationToken cancellationToken) =>
        await EndAttemptAsync(lease, error, maxAttempts: 0, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        bool released;
        await using (var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            released = await PostgresDatabase.ExecuteAsync(
                connection, PostgresJobSql.Release, [("id", lease.JobId), ("token", lease.Token)], cancellationToken).ConfigureAwait(false) == 1;
            if (released)
            {
                await AnnounceWorkAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (released)
        {
            signals.NotifyWork();
        }

        return released;
    }

    public async Task<Job?> GetAsync(string owner, string id, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync(PostgresJobSql.Get, [("id", id), ("owner", owner)], JobRows.Read, cancellationToken).ConfigureAwait(false);
        return rows.SingleOrDefault();
    }

    public async Task<IReadOnlyList<Job>> ListAsync(string owner, int limit, int skip, CancellationToken cancellationToken)
    {
        // PostgreSQL refuses a negative LIMIT anyway; refuse it here with the same exception as SQLite.
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        return await db.QueryAsync(
            PostgresJobSql.List, [("owner", owner), ("limit", (long)limit), ("skip", (long)skip)], JobRows.Read, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CancelOutcome> CancelAsync(string owner, string id, CancellationToken cancellationToken)
    {
        List<(Job Job, bool Held)> cancelled;
        await using (var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            cancelled = await PostgresDatabase.QueryAsync(
                connection,
                PostgresJobSql.Cancel,
                [("id", id), ("owner", owner), ("now", Now())],
                r => (JobRows.Read(r), r.GetBoolean(r.GetOrdinal("held"))),
                cancellationToken).ConfigureAwait(false);
            // The job and its parts (docs/parts.md), in whichever process each runs.
            await AnnounceCancelsAsync(connection, cancelled.Select(c => (c.Job.Id, c.Held)), cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (row, _) in cancelled)
        {
            signals.NotifyCancelled(row.Id);
        }

        if (cancelled.Find(c => c.Job.Id == id).Job is { } cancelledJob)
        {
            return new CancelOutcome.Cancelled(cancelledJob);
        }

        // The update matched nothing, so the job is finished (terminal: it cannot move again) or absent.
        return await GetAsync(owner, id, cancellationToken).ConfigureAwait(false) is { } finished
            ? new CancelOutcome.AlreadyFinished(finished)
            : new CancelOutcome.NotFound();
    }

    public async Task<DeleteOutcome> DeleteAsync(string owner, string id, CancellationToken cancellationToken)
    {
        var deleted = await db.ExecuteAsync(PostgresJobSql.Delete, [("id", id), ("owner", owner)], cancellationToken).ConfigureAwait(false);
        if (deleted == 1)
        {
            return DeleteOutcome.Deleted;
        }

        // Every other state is deletable, so a row that survived the delete was assigned when it ran.
        var exists = await db.QueryAsync(PostgresJobSql.Exists, [("id", id), ("owner", owner)], r => r.GetBoolean(0), cancellationToken).ConfigureAwait(false);
        return exists is [true] ? DeleteOutcome.Assigned : DeleteOutcome.NotFound;
    }

    public async Task<int> ReapExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        var jobs = await TransitionAsync(
            PostgresJobSql.ReapExpiredLeases,
            [("now", Now()), ("maxAttempts", _options.MaxAttempts), ("error", JobTexts.LeaseExpired), .. RetryParameters],
            cancellationToken).ConfigureAwait(false);
        return jobs.Count;
    }

    public async Task<int> EraseFinishedAsync(CancellationToken cancellationToken)
    {
        var cutoff = Now() - (long)_options.Retention.TotalMilliseconds;
        var erased = await db.ExecuteAsync(PostgresJobSql.EraseFinished, [("cutoff", cutoff)], cancellationToken).ConfigureAwait(false);
        await db.ExecuteAsync(PostgresJobSql.EraseOrphanBatchJobs, [], cancellationToken).ConfigureAwait(false);
        await db.ExecuteAsync(PostgresJobSql.EraseOrphanBatches, [("cutoff", cutoff)], cancellationToken).ConfigureAwait(false);
        await db.ExecuteAsync(PostgresJobSql.ErasePartsOfEndedParents, [], cancellationToken).ConfigureAwait(false);
        return erased;
    }

    private async Task<JobState?> EndAttemptAsync(Lease lease, string error, int maxAttempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(error);
        var jobs = await TransitionAsync(
            PostgresJobSql.Fail,
            [("id", lease.JobId), ("token", lease.Token), ("error", error), ("maxAttempts", maxAttempts), ("now", Now()), .. RetryParameters],
            cancellationToken).ConfigureAwait(false);
        return jobs is [var job] ? job.State : null;
    }

    // The transition, the notification it causes and the wake-up it makes commit together: no crash can leave a
    // job done or in error without its done_url or fail_url queued, and no process hears of work that rolled back.
    private async Task<List<Job>> TransitionAsync(string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        List<Job> jobs;
        await using (var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            jobs = await PostgresDatabase.QueryAsync(connection, sql, parameters, JobRows.Read, cancellationToken).ConfigureAwait(false);
            var now = Now();
            foreach (var job in jobs)
            {
                await EnqueueNotificationAsync(connection, job, now, cancellationToken).ConfigureAwait(false);
            }

            if (jobs.Exists(j => j.State == JobState.Waiting))
            {
                await AnnounceWorkAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (jobs.Exists(j => j.State == JobState.Waiting))
        {
            signals.NotifyWork();
        }

        return jobs;
    }

    /// <summary>Queues the notification <paramref name="job"/>'s new state causes, if any, inside the caller's transaction.</summary>
    private static async Task EnqueueNotificationAsync(NpgsqlConnection connection, Job job, long now, CancellationToken cancellationToken)
    {
        if (JobNotification.For(job) is not { } notification)
        {
            return;
        }

        await PostgresDatabase.ExecuteAsync(
            connection,
            PostgresJobSql.EnqueueNotification,
            [
                ("id", Ids.New()), ("job", job.Id), ("owner", job.Owner), ("event", notification.Event.ToWire()),
                ("url", notification.Url.ToString()), ("body", notification.Body), ("maxAttempts", notification.MaxAttempts),
                ("retryWait", (long)notification.RetryWait.TotalMilliseconds), ("now", now),
            ],
            cancellationToken).ConfigureAwait(false);
    }

    private Task AnnounceWorkAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        NotifyAsync(connection, PostgresJobChannels.Work, _origin, cancellationToken);

    private static async Task NotifyAsync(NpgsqlConnection connection, string channel, string payload, CancellationToken cancellationToken) =>
        await PostgresDatabase.ExecuteAsync(connection, PostgresJobSql.Notify, [("channel", channel), ("payload", payload)], cancellationToken).ConfigureAwait(false);

    private long LeaseMs => (long)_options.LeaseDuration.TotalMilliseconds;

    private (string Name, object? Value)[] RetryParameters =>
    [
        ("retryDelay", (long)_options.RetryDelay.TotalMilliseconds),
        ("maxRetryDelay", (long)_options.MaxRetryDelay.TotalMilliseconds),
    ];

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
