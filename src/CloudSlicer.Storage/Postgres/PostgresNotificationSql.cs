namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// The sender's side of the notification outbox on PostgreSQL (<see cref="PostgresNotificationOutbox"/>); rows are
/// inserted by the job queue inside its transitions. As SqliteSql's statements, with the claim taking its row
/// under <c>FOR UPDATE SKIP LOCKED</c>, so senders in any number of processes each take a different row.
/// </summary>
internal static class PostgresNotificationSql
{
    // The oldest due row; its next_at moves to the lease's expiry, so it is due again only if its sender never
    // reports (the process died mid-send). The attempt is counted at the claim, as with jobs.
    public const string Claim = """
        UPDATE notifications
           SET attempts = attempts + 1, lease_token = @token, next_at = @expires
         WHERE seq = (SELECT seq FROM notifications WHERE state = 'pending' AND next_at <= @now
                       ORDER BY next_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED)
           AND state = 'pending' AND next_at <= @now
        RETURNING *
        """;

    public const string Delivered = """
        UPDATE notifications
           SET state = 'delivered', closed = @now, lease_token = NULL, last_error = ''
         WHERE id = @id AND state = 'pending' AND lease_token = @token
        """;

    // A refusal (@final = 1) or the last allowed attempt settles the row as failed; otherwise it waits
    // retry_wait before the next try.
    public const string Failed = """
        UPDATE notifications
           SET state = CASE WHEN @final = 1 OR attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
               closed = CASE WHEN @final = 1 OR attempts >= max_attempts THEN @now ELSE NULL END,
               next_at = @now + retry_wait, lease_token = NULL, last_error = @error
         WHERE id = @id AND state = 'pending' AND lease_token = @token
        RETURNING state
        """;

    public const string Release = """
        UPDATE notifications
           SET next_at = @now, lease_token = NULL, attempts = GREATEST(attempts - 1, 0)
         WHERE id = @id AND state = 'pending' AND lease_token = @token
        """;

    public const string OfJob = "SELECT * FROM notifications WHERE job_id = @job ORDER BY seq";

    public const string EraseSettled = "DELETE FROM notifications WHERE state IN ('delivered', 'failed') AND closed < @cutoff";
}
