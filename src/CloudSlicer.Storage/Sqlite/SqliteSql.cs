namespace CloudSlicer.Storage.Sqlite;

/// <summary>
/// Every SQL statement of the SQLite stores (the schema itself is in Migrations/*.sql). Each state change
/// is one conditional statement: SQLite takes its single write lock for the whole autocommit statement,
/// so "UPDATE ... WHERE id = (SELECT ... LIMIT 1) AND state = 'waiting'" is atomic without SKIP LOCKED.
/// "now" always arrives as @now from the application's TimeProvider, never from SQLite's own clock.
/// </summary>
internal static partial class SqliteSql
{
    // Per native connection: SqliteDatabase runs them the first time the pool hands a native handle out.
    // busy_timeout: a writer waits up to 5 s for another's lock instead of failing at once.
    // synchronous=FULL: the WAL is synced at every commit, so not even a power cut loses a job the API
    // already acknowledged (NORMAL would only survive process crashes). Job writes are few; the fsync is cheap.
    // secure_delete: content a statement deletes or overwrites (a finished job's sealed source credentials) is
    // zeroed on its page, not left in free space for anyone who copies the file.
    public const string ConnectionPragmas = """
        PRAGMA busy_timeout = 5000;
        PRAGMA synchronous = FULL;
        PRAGMA secure_delete = ON;
        PRAGMA foreign_keys = ON;
        """;

    // WAL is a property of the file, so it is set once; readers then never block the writer.
    public const string EnableWal = "PRAGMA journal_mode = WAL;";

    public const string GetUserVersion = "PRAGMA user_version;";

    // PRAGMA takes no parameters; the version is an integer we produce, never input.
    public static string SetUserVersion(int version) => $"PRAGMA user_version = {version:D};";

    // ---- jobs ----

    public const string Enqueue = """
        INSERT INTO jobs (id, owner, kind, state, args, source, secrets, asset, created)
        VALUES (@id, @owner, @kind, 'waiting', @args, @source, @secrets, @asset, @now)
        RETURNING *;
        """;

    // Fairness: the owner with the fewest assigned jobs goes first, so one owner's burst of uploads
    // cannot starve another owner's single job; ties go to the oldest job. Only the kinds the slicer has a
    // handler for (@kinds, a JSON array of wire names): a job no slicer here can do stays waiting, unspent.
    // A part (docs/parts.md) waits while its parent is not assigned: a parent between attempts replaces them.
    public const string Claim = """
        UPDATE jobs
           SET state = 'assigned', attempts = attempts + 1, last_start = @now,
               lease_token = @token, lease_expires = @expires, slicer = @slicer,
               progress = @progress, percent = 0
         WHERE id = (SELECT j.id FROM jobs j
                      WHERE j.state = 'waiting' AND j.run_after <= @now
                        AND j.kind IN (SELECT value FROM json_each(@kinds))
                        AND (j.parent IS NULL OR EXISTS (SELECT 1 FROM jobs p WHERE p.id = j.parent AND p.state = 'assigned'))
                      ORDER BY (SELECT COUNT(*) FROM jobs a WHERE a.owner = j.owner AND a.state = 'assigned'),
                               j.created, j.seq
                      LIMIT 1)
           AND state = 'waiting'
        RETURNING *;
        """;

    public const string Heartbeat = """
        UPDATE jobs
           SET lease_expires = @expires, progress = @progress, percent = @percent
         WHERE id = @id AND state = 'assigned' AND lease_token = @token;
        """;

    // Asked only after a heartbeat matched nothing: a cancelled job keeps the token of its last holder.
    public const string WasCancelledUnderLease = """
        SELECT EXISTS (SELECT 1 FROM jobs WHERE id = @id AND lease_token = @token AND state = 'cancelled');
        """;

    // The settings a job runs with once its slicer merged the source's .cfg sidecar in (the job's own args
    // win). Run as a transition: a start_url the sidecar named queues the start notification the claim could
    // not (the unique (job, event) makes it a no-op when the args already had one).
    public const string RecordArgs = """
        UPDATE jobs SET args = @args
         WHERE id = @id AND state = 'assigned' AND lease_token = @token
        RETURNING *;
        """;

    // An output without an asset (e.g. an export) keeps the asset the job was created for. Every transition to
    // done, error or cancelled erases the spec (secrets): it may hold a source's credentials, kept only while
    // the job may still run.
    public const string Complete = """
        UPDATE jobs
           SET state = 'done', finished = @now, closed = @now, asset = COALESCE(@asset, asset),
               progress = @progress, percent = 100, lease_token = NULL, lease_expires = NULL, secrets = NULL
         WHERE id = @id AND state = 'assigned' AND lease_token = @token
        RETURNING *;
        """;

    // How an attempt ends when it failed or its lease expired, shared by Fail and ReapExpiredLeases so the
    // retry rule lives once. In SET, "attempts" is the value before this statement: the attempt that just
    // ended is already counted. The next attempt waits RetryDelay, doubling with each attempt, at most
    // MaxRetryDelay.
    private const string EndAttempt = """
           SET state = CASE WHEN attempts >= @maxAttempts THEN 'error' ELSE 'waiting' END,
               finished = CASE WHEN attempts >= @maxAttempts THEN @now ELSE finished END,
               closed = CASE WHEN attempts >= @maxAttempts THEN @now ELSE closed END,
               run_after = @now + MIN(@retryDelay << MIN(attempts - 1, 20), @maxRetryDelay),
               secrets = CASE WHEN attempts >= @maxAttempts THEN NULL ELSE secrets END,
               last_error = @error, progress = '', percent = 0, lease_token = NULL, lease_expires = NULL
        """;

    // Also a permanent failure's statement: run with @maxAttempts = 0, the attempt that just ended is the
    // last one whatever the count, so the job goes to error now with its attempts as counted, and error
    // looks the same however it was reached.
    public const string Fail = "UPDATE jobs\n" + EndAttempt + """
         WHERE id = @id AND state = 'assigned' AND lease_token = @token
        RETURNING *;
        """;

    // A clean shutdown is not the job's failure: the attempt it counted is given back.
    public const string Release = """
        UPDATE jobs
           SET state = 'waiting', attempts = MAX(attempts - 1, 0), progress = '', percent = 0, run_after = 0,
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

    // "finished" is left as it was: the protocol reports 0 for a job cancelled before it finished.
    // lease_token stays so the holder's heartbeat answers CancelRequested rather than Lost.
    // The job's parts (docs/parts.md) are cancelled in the same statement: every part stops at once.
    public const string Cancel = """
        UPDATE jobs
           SET state = 'cancelled', closed = @now, lease_expires = NULL, secrets = NULL
         WHERE ((id = @id AND parent IS NULL) OR parent = @id) AND owner = @owner AND state IN ('waiting', 'assigned')
        RETURNING *;
        """;

    public const string Delete = "DELETE FROM jobs WHERE id = @id AND owner = @owner AND state <> 'assigned';";

    public const string Exists = "SELECT EXISTS (SELECT 1 FROM jobs WHERE id = @id AND owner = @owner);";

    public const string EraseFinished = """
        DELETE FROM jobs WHERE state IN ('done', 'error', 'cancelled') AND closed < @cutoff;
        """;

    // A waiting job whose kind no live slicer can do says so (@note); the note is cleared, and only it, once
    // one can. Waiting jobs only: state, attempts and run_after are never touched, and a claim overwrites it.
    public const string NoteUnserved = """
        UPDATE jobs SET progress = @note
         WHERE state = 'waiting' AND kind = @kind AND progress <> @note;
        """;

    public const string ClearUnservedNote = """
        UPDATE jobs SET progress = ''
         WHERE state = 'waiting' AND kind = @kind AND progress = @note;
        """;

    // ---- assets ----

    private const string AssetColumns = """
        id, owner, state, version, job, external_id, desc, meta, duration, slice_dur, slices, rays, renditions,
        break_offsets, poster, thumbnails, orig_filename, skip_drm, created, autoexpire, expires, folder, locations, superseded, export
        """;

    public const string InsertAsset = "INSERT INTO assets (" + AssetColumns + """
        ) VALUES (@id, @owner, 'ready', 1, @job, @external_id, @desc, @meta, @duration, @slice_dur, @slices, @rays, @renditions,
                  @break_offsets, @poster, @thumbnails, @orig_filename, @skip_drm, @now, @autoexpire,
                  CASE WHEN @autoexpire > 0 THEN @now + @autoexpire * 3600000 END, @folder, @locations, @superseded, @export)
        RETURNING *;
        """;

    // A later version replaces the media the record describes, only if the record is still at the version
    // before it; what the customer set (external id, desc, meta, expiry) belongs to the asset and stays.
    public const string SwitchAssetVersion = """
        UPDATE assets
           SET version = @version, job = @job, duration = @duration, slice_dur = @slice_dur, slices = @slices,
               rays = @rays, renditions = @renditions, break_offsets = @break_offsets, poster = @poster,
               thumbnails = @thumbnails, folder = @folder, locations = @locations, superseded = @superseded, export = @export
         WHERE id = @id AND owner = @owner AND state = 'ready' AND version = @version - 1
        RETURNING *;
        """;

    public const string TombstoneByExternalId = """
        UPDATE assets SET state = 'deleted'
         WHERE owner = @owner AND external_id = @external_id AND state = 'ready' AND id <> @id
        RETURNING *;
        """;

    public const string LiveAssetIdByExternalId = """
        SELECT id FROM assets WHERE owner = @owner AND external_id = @external_id AND state = 'ready';
        """;

    public const string GetAsset = "SELECT * FROM assets WHERE id = @id AND owner = @owner AND state = 'ready';";

    public const string GetAssetByExternalId = "SELECT * FROM assets WHERE owner = @owner AND external_id = @external_id AND state = 'ready';";

    public const string GetAssets = """
        SELECT * FROM assets WHERE owner = @owner AND state = 'ready' AND id IN (SELECT value FROM json_each(@ids));
        """;

    public const string GetAssetsByExternalId = """
        SELECT * FROM assets WHERE owner = @owner AND state = 'ready' AND external_id IN (SELECT value FROM json_each(@ids));
        """;

    public const string FindPublishedAsset = "SELECT * FROM assets WHERE id = @id AND state = 'ready';";

    public const string ListAssets = """
        SELECT * FROM assets
         WHERE owner = @owner AND state = 'ready'
           AND (@search IS NULL OR instr(lower(desc), @search) > 0 OR instr(lower(COALESCE(external_id, '')), @search) > 0)
         ORDER BY created DESC, seq DESC
         LIMIT @limit OFFSET @skip;
        """;

    // json_patch adds or overwrites the given keys and keeps the others.
    public const string UpdateAsset = """
        UPDATE assets
           SET desc = COALESCE(@desc, desc),
               meta = CASE WHEN @meta IS NULL THEN meta ELSE json_patch(meta, @meta) END,
               external_id = COALESCE(@external_id, external_id)
         WHERE id = @id AND owner = @owner AND state = 'ready'
        RETURNING *;
        """;

    public const string TombstoneAsset = """
        UPDATE assets SET state = 'deleted' WHERE id = @id AND owner = @owner AND state = 'ready' RETURNING *;
        """;

    public const string TombstoneExpiredAssets = """
        UPDATE assets SET state = 'deleted'
         WHERE id IN (SELECT id FROM assets WHERE state = 'ready' AND expires IS NOT NULL AND expires <= @now
                       ORDER BY expires LIMIT @max)
        RETURNING *;
        """;

    public const string ListDeletedAssets = "SELECT * FROM assets WHERE state = 'deleted' ORDER BY seq LIMIT @max;";

    public const string PurgeAsset = "DELETE FROM assets WHERE id = @id AND state = 'deleted';";

    // ---- slicers ----

    // A restart that reuses host and pid (pid 1 in a container) replaces the old row: it is the same slicer.
    public const string RegisterSlicer = """
        INSERT INTO slicers (id, host, pid, kinds, beat_ms, started, last_seen, job)
        VALUES (@id, @host, @pid, @kinds, @beat_ms, @now, @now, NULL)
        ON CONFLICT (id) DO UPDATE
           SET host = excluded.host, pid = excluded.pid, kinds = excluded.kinds, beat_ms = excluded.beat_ms,
               started = excluded.started, last_seen = excluded.last_seen, job = NULL;
        """;

    public const string BeatSlicer = "UPDATE slicers SET last_seen = @now, job = @job WHERE id = @id;";

    public const string RemoveSlicer = "DELETE FROM slicers WHERE id = @id;";

    public const string AliveSlicers = """
        SELECT * FROM slicers WHERE last_seen + @missedBeats * beat_ms >= @now ORDER BY id;
        """;

    public const string ForgetStaleSlicers = "DELETE FROM slicers WHERE last_seen < @cutoff;";

    // ---- owners ----

    public const string AnyOwner = "SELECT EXISTS (SELECT 1 FROM owners);";

    public const string InsertOwner = "INSERT INTO owners (id, name, created) VALUES (@id, @name, @now);";

    public const string InsertFirstOwner = """
        INSERT INTO owners (id, name, created) SELECT @id, @name, @now WHERE NOT EXISTS (SELECT 1 FROM owners);
        """;

    // Inserts nothing when the owner is unknown, so "unknown owner" needs no separate read.
    public const string InsertKey = """
        INSERT INTO api_keys (key, owner, enabled, created)
        SELECT @key, id, 1, @now FROM owners WHERE id = @owner;
        """;

    public const string EnabledKeys = "SELECT key FROM api_keys WHERE owner = @owner AND enabled = 1 ORDER BY created, key;";

    public const string ListKeys = "SELECT key, enabled, created FROM api_keys WHERE owner = @owner ORDER BY created, key;";

    public const string DisableKey = "UPDATE api_keys SET enabled = 0 WHERE key = @key AND owner = @owner AND enabled = 1;";

    // ---- notifications ----

    // Run inside the transaction of the job transition that causes it (SqliteJobQueue). The unique
    // (job_id, event) makes a second cause of the same event (a start after a clean shutdown gave the first
    // attempt back) a no-op.
    public const string EnqueueNotification = """
        INSERT INTO notifications (id, job_id, owner, event, url, body, state, max_attempts, retry_wait, next_at, created)
        VALUES (@id, @job, @owner, @event, @url, @body, 'pending', @maxAttempts, @retryWait, @now, @now)
        ON CONFLICT (job_id, event) DO NOTHING;
        """;

    // The oldest due row; its next_at moves to the lease's expiry, so it is due again only if its sender
    // never reports (the process died mid-send). The attempt is counted at the claim, as with jobs.
    public const string ClaimNotification = """
        UPDATE notifications
           SET attempts = attempts + 1, lease_token = @token, next_at = @expires
         WHERE seq = (SELECT seq FROM notifications WHERE state = 'pending' AND next_at <= @now ORDER BY next_at, seq LIMIT 1)
           AND state = 'pending' AND next_at <= @now
        RETURNING *;
        """;

    public const string NotificationDelivered = """
        UPDATE notifications
           SET state = 'delivered', closed = @now, lease_token = NULL, last_error = ''
         WHERE id = @id AND state = 'pending' AND lease_token = @token;
        """;

    // A refusal (@final = 1) or the last allowed attempt settles the row as failed; otherwise it waits
    // retry_wait before the next try.
    public const string NotificationFailed = """
        UPDATE notifications
           SET state = CASE WHEN @final = 1 OR attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
               closed = CASE WHEN @final = 1 OR attempts >= max_attempts THEN @now ELSE NULL END,
               next_at = @now + retry_wait, lease_token = NULL, last_error = @error
         WHERE id = @id AND state = 'pending' AND lease_token = @token
        RETURNING state;
        """;

    public const string ReleaseNotification = """
        UPDATE notifications
           SET next_at = @now, lease_token = NULL, attempts = MAX(attempts - 1, 0)
         WHERE id = @id AND state = 'pending' AND lease_token = @token;
        """;

    public const string NotificationsOfJob = "SELECT * FROM notifications WHERE job_id = @job ORDER BY seq;";

    public const string EraseSettledNotifications = """
        DELETE FROM notifications WHERE state IN ('delivered', 'failed') AND closed < @cutoff;
        """;
}
