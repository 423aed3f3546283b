using CloudSlicer.Core;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Storage.Notifications;
using Microsoft.Data.Sqlite;

namespace CloudSlicer.Storage.Sqlite;

/// <summary>
/// The notification outbox in the job store's SQLite file. Rows are added by <see cref="SqliteJobQueue"/>
/// through <see cref="EnqueueAsync"/> inside its transition's transaction; everything else is one conditional
/// statement, fenced by the claim's token as job writes are.
/// </summary>
public sealed class SqliteNotificationOutbox(SqliteDatabase db, TimeProvider clock) : INotificationOutbox
{
    public async Task<ClaimedNotification?> TryClaimAsync(TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = Now();
        var token = Ids.New();
        var rows = await db.QueryAsync(
            SqliteSql.ClaimNotification,
            [("@now", now), ("@token", token), ("@expires", now + (long)leaseDuration.TotalMilliseconds)],
            NotificationRows.Read,
            cancellationToken);
        return rows is [var row] ? new ClaimedNotification(row, new NotificationLease(row.Id, token)) : null;
    }

    public async Task<bool> MarkDeliveredAsync(NotificationLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await db.ExecuteAsync(
            SqliteSql.NotificationDelivered, [("@id", lease.Id), ("@token", lease.Token), ("@now", Now())], cancellationToken) == 1;
    }

    public async Task<NotificationState?> MarkFailedAsync(NotificationLease lease, string error, bool final, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var states = await db.QueryAsync(
            SqliteSql.NotificationFailed,
            [("@id", lease.Id), ("@token", lease.Token), ("@error", error), ("@final", final ? 1 : 0), ("@now", Now())],
            r => NotificationRows.ParseState(r.GetString(0)),
            cancellationToken);
        return states is [var state] ? state : null;
    }

    public async Task<bool> ReleaseAsync(NotificationLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await db.ExecuteAsync(
            SqliteSql.ReleaseNotification, [("@id", lease.Id), ("@token", lease.Token), ("@now", Now())], cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<Notification>> ListForJobAsync(string jobId, CancellationToken cancellationToken) =>
        await db.QueryAsync(SqliteSql.NotificationsOfJob, [("@job", jobId)], NotificationRows.Read, cancellationToken);

    public Task<int> EraseSettledAsync(TimeSpan retention, CancellationToken cancellationToken) =>
        db.ExecuteAsync(SqliteSql.EraseSettledNotifications, [("@cutoff", Now() - (long)retention.TotalMilliseconds)], cancellationToken);

    /// <summary>
    /// Queues the notification <paramref name="job"/>'s new state causes, if any, on the caller's connection and
    /// inside its open transaction: the transition and its notification commit together or not at all.
    /// </summary>
    internal static async Task<bool> EnqueueAsync(SqliteConnection connection, Job job, long now, CancellationToken cancellationToken)
    {
        if (JobNotification.For(job) is not { } notification)
        {
            return false;
        }

        await using var insert = SqliteDatabase.CreateCommand(
            connection,
            SqliteSql.EnqueueNotification,
            [
                ("@id", Ids.New()), ("@job", job.Id), ("@owner", job.Owner), ("@event", notification.Event.ToWire()),
                ("@url", notification.Url.ToString()), ("@body", notification.Body), ("@maxAttempts", notification.MaxAttempts),
                ("@retryWait", (long)notification.RetryWait.TotalMilliseconds), ("@now", now),
            ]);
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
