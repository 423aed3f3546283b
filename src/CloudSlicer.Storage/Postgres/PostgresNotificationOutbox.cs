using CloudSlicer.Core;
using CloudSlicer.Storage.Notifications;

namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// The notification outbox on PostgreSQL, shared by every API node's senders. Rows are added by the job queue
/// inside its transition's transaction; everything here is one conditional statement, fenced by the claim's
/// token as job writes are.
/// </summary>
public sealed class PostgresNotificationOutbox(PostgresDatabase db, TimeProvider clock) : INotificationOutbox
{
    public async Task<ClaimedNotification?> TryClaimAsync(TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = Now();
        var token = Ids.New();
        var rows = await db.QueryAsync(
            PostgresNotificationSql.Claim,
            [("now", now), ("token", token), ("expires", now + (long)leaseDuration.TotalMilliseconds)],
            NotificationRows.Read,
            cancellationToken).ConfigureAwait(false);
        return rows is [var row] ? new ClaimedNotification(row, new NotificationLease(row.Id, token)) : null;
    }

    public async Task<bool> MarkDeliveredAsync(NotificationLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await db.ExecuteAsync(
            PostgresNotificationSql.Delivered, [("id", lease.Id), ("token", lease.Token), ("now", Now())], cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<NotificationState?> MarkFailedAsync(NotificationLease lease, string error, bool final, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var states = await db.QueryAsync(
            PostgresNotificationSql.Failed,
            [("id", lease.Id), ("token", lease.Token), ("error", error), ("final", final ? 1 : 0), ("now", Now())],
            r => NotificationRows.ParseState(r.GetString(0)),
            cancellationToken).ConfigureAwait(false);
        return states is [var state] ? state : null;
    }

    public async Task<bool> ReleaseAsync(NotificationLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await db.ExecuteAsync(
            PostgresNotificationSql.Release, [("id", lease.Id), ("token", lease.Token), ("now", Now())], cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<Notification>> ListForJobAsync(string jobId, CancellationToken cancellationToken) =>
        await db.QueryAsync(PostgresNotificationSql.OfJob, [("job", jobId)], NotificationRows.Read, cancellationToken).ConfigureAwait(false);

    public Task<int> EraseSettledAsync(TimeSpan retention, CancellationToken cancellationToken) =>
        db.ExecuteAsync(PostgresNotificationSql.EraseSettled, [("cutoff", Now() - (long)retention.TotalMilliseconds)], cancellationToken);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
