namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// The job queue's statements on PostgreSQL: the same rules as <c>SqliteSql</c>'s, statement for statement (read
/// its comments for the why of each), in PostgreSQL's dialect. Where SQLite relies on its single writer, these
/// rely on row locks: the claim picks its job <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claimers on any number of
/// machines each lock a different job instead of queueing behind one. "now" always arrives as @now from the
/// application's TimeProvider, never from the server's clock.
/// </summary>
internal static partial class PostgresJobSql
{
    public const string Enqueue = """
        INSERT INTO jobs (id, owner, kind, state, args, source, secrets, asset, created)
        VALUES (@id, @owner, @kind, 'waiting', @args, @source, @secrets::text, @asset::text, @now)
        RETURNING *;
        """;

    // jobs/create's statement: the insert and its wake-up in one round trip and one autocommit transaction
    // (pg_notify is delivered at commit, so a woken slicer always finds the row). @origin as in PostgresJobChannels.
    public const string EnqueueAndAnnounce = """
        WITH job AS (
            INSERT INTO jobs (id, owner, kind, state, args, source, secrets, asset, created)
            VALUES (@id, @owner, @kind, 'waiting', @args, @source, @secrets::text, @asset::text, @now)
            RETURNING *)
        SELECT job.*, pg_notify('cloudslicer_work', @origin) FROM job;
        """;

    // Fairness as on SQLite: the owner with the fewest assigned jobs first, then the oldest job, among the kinds
    // the slicer can do (@kinds, a text[] of wire names). SKIP LOCKED passes over a job another claimer has
    // locked this instant; a job claimed and committed meanwhile fails the re-checked state = 'waiting' and is
    // passed over too, so a claim returns nothing only when every claimable job is taken.
    public const string Claim = """
        UPDATE jobs
           SET state = 'assigned', attempts = attempts + 1, last_start = @now,
               lease_token = @token, lease_expires = @expires, slicer = @slicer,
               progress = @progress, percent = 0
         WHERE id = (SELECT j.id FROM jobs j
                      WHERE j.state = 'waiting' AND j.run_after <= @now AND j.kind = ANY (@kinds)
                        AND (j.parent IS NULL OR EXISTS (SELECT 1 FROM jobs p WHERE p.id = j.parent AND p.state = 'assigned'))
                      ORDER BY (SELECT COUNT(*) FROM jobs a WHERE a.owner = j.owner AND a.state = 'assigned'),
                               j.created, j.seq
                      LIMIT 1
                      FOR UPDATE SKIP LOCKED)
           AND state = 'waiting'
        RETURNING *;
        """;

    public const string Heartbeat = """
        UPDATE jobs
           SET lease_expires = @expires, progress = @progress, percent = @percent
         WHERE id = @id AND state = 'assigned' AND lease_token = @token;
        """;

    public const string WasCancelledUnderLease = """
        SELECT EXISTS (SELECT 1 FROM jobs WHERE id = @id AND lease_token = @token AND state = 'cancelled');
        """;

    public const string RecordArgs = """
        UPDATE jobs SET args = @args
         WHERE id = @id AND state = 'assigned' AND lease_token = @token
        RETURNING *;
        """;

    // As SqliteSql: done, error and cancelled erase the spec (secrets), which may hold a source's credentials.
    public const string Complete = """
        UPDATE jobs
           SET state = 'done', finished = @now, closed = @now, asset = COALESCE(@asset::text, asset),
               progress = @progress, percent = 100, lease_token = NULL, lease_expires = NULL, secrets = NULL
         WHERE id = @id AND state = 'assigned' AND lease_token = @token
        RETURNING *;
        """;

    // SqliteSql.EndAttempt: in SET, "attempts" is the value before this statement; the back-off doubles with
    // each attempt, at most @maxRetryDelay.
    private const string EndAttempt = """
           SET state = CASE WHEN attempts >= @maxAttempts THEN 'error' ELSE 'waiting' END,
               finished = CASE WHEN attempts >= @maxAttempts THEN @now ELSE finished END,
               closed = CASE WHEN attempts >= @maxAttempts THEN @now ELSE closed END,
               run_after = @now + LEAST(@retryDelay << LEAST(attempts - 1, 20), @maxRetryDelay),
               secrets = CASE WHEN attempts >= @maxAttempts THEN NULL ELSE secrets END,
               last_error = @error, progress = '', percent = 0, lease_token = NULL, lease_expires = NULL
        """;

    // Also a permanent failure's statement, with @maxAttempts = 0 (see SqliteSql.Fail).
    public const string Fail = "UPDATE jobs\n" + EndAttempt + """
         WHERE id = @id AND state = 'assigned' AND lease_token = @token
        RETURNING *;
        """;

    public const string Release = """
        UPDATE jobs
           SET state = 'waiting', attempts = GREATEST(attempts - 1, 0), progress = '', percent = 0, run_after = 0,
               lease_token = NULL, lease_expires = NULL
         WHERE id = @id AND state = 'assigned' AND lease_token = @token;
        """;

    public const string ReapExpiredLeases = "UPDATE jobs\n" + EndAttempt + """
         WHERE state = 'assigned' AND lease_expires < @now
        RETURNING *;
        """;

    // Parts (a parent is set) are internal: never found, listed or cancelled by their owner directly.
    public const string Get = "SELECT * FROM jobs WHERE id = @id AND owner = @owner AND parent IS NULL;";

    public const string List = """
        SELECT * FROM jobs WHERE owner = @owner AND parent IS NULL
         ORDER BY created DESC, seq DESC
         LIMIT @limit OFFSET @skip;
        """;

    // As SqliteSql.Cancel. "held" tells an assigned job's cancel from a waiting one's: only a claim sets a lease
    // token and every other way out of assigned clears it, so a cancelled row keeps one only if it was assigned,
    // and only then is there a slicer to stop.
    public const string Cancel = """
        UPDATE jobs
           SET state = 'cancelled', closed = @now, lease_expires = NULL, secrets = NULL
         WHERE ((id = @id AND parent IS NULL) OR parent = @id) AND owner = @owner AND state IN ('waiting', 'assigned')
        RETURNING *, lease_token IS NOT NULL AS held;
        """;

    public const string Delete = "DELETE FROM jobs WHERE id = @id AND owner = @owner AND state <> 'assigned';";

    public const string Exists = "SELECT EXISTS (SELECT 1 FROM jobs WHERE id = @id AND owner = @owner);";

    public const string EraseFinished = """
        DELETE FROM jobs WHERE state IN ('done', 'error', 'cancelled') AND closed < @cutoff;
        """;

    public const string NoteUnserved = """
        UPDATE jobs SET progress = @note
         WHERE state = 'waiting' AND kind = @kind AND progress <> @note;
        """;

    public const string ClearUnservedNote = """
        UPDATE jobs SET progress = ''
         WHERE state = 'waiting' AND kind = @kind AND progress = @note;
        """;

    // Run inside the transaction of the job transition that causes it, as SqliteSql.EnqueueNotification is; the
    // unique (job_id, event) makes a second cause of the same event a no-op.
    public const string EnqueueNotification = """
        INSERT INTO notifications (id, job_id, owner, event, url, body, state, max_attempts, retry_wait, next_at, created)
        VALUES (@id, @job, @owner, @event, @url, @body, 'pending', @maxAttempts, @retryWait, @now, @now)
        ON CONFLICT (job_id, event) DO NOTHING;
        """;

    // Delivered to every listening process when the transaction commits, and not at all if it rolls back.
    public const string Notify = "SELECT pg_notify(@channel, @payload);";
}
