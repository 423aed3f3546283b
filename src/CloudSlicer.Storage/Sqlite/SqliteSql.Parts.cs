namespace CloudSlicer.Storage.Sqlite;

internal static partial class SqliteSql
{
    // Inserts nothing when the parent's lease no longer holds: a parent attempt that lost its job cannot queue work.
    public const string EnqueuePart = """
        INSERT INTO jobs (id, owner, kind, state, args, source, secrets, asset, created, parent)
        SELECT @id, p.owner, @kind, 'waiting', @args, @source, @secrets, @asset, @now, p.id
          FROM jobs p
         WHERE p.id = @parent AND p.state = 'assigned' AND p.lease_token = @token
        RETURNING *;
        """;

    public const string ClaimPart = """
        UPDATE jobs
           SET state = 'assigned', attempts = attempts + 1, last_start = @now,
               lease_token = @token, lease_expires = @expires, slicer = @slicer,
               progress = @progress, percent = 0
         WHERE id = (SELECT j.id FROM jobs j
                      WHERE j.parent = @parent AND j.state = 'waiting' AND j.run_after <= @now
                        AND EXISTS (SELECT 1 FROM jobs p WHERE p.id = j.parent AND p.state = 'assigned')
                      ORDER BY j.seq
                      LIMIT 1)
           AND state = 'waiting'
        RETURNING *;
        """;

    public const string ListParts = "SELECT * FROM jobs WHERE parent = @parent ORDER BY seq;";

    // Fenced by the parent's lease, as every write of its slicer is. lease_token stays on an assigned part so its
    // slicer's next heartbeat answers CancelRequested.
    public const string CancelParts = """
        UPDATE jobs
           SET state = 'cancelled', closed = @now, lease_expires = NULL
         WHERE parent = @parent AND state IN ('waiting', 'assigned')
           AND EXISTS (SELECT 1 FROM jobs p WHERE p.id = @parent AND p.state = 'assigned' AND p.lease_token = @token)
        RETURNING id;
        """;

    // Parts whose parent is no longer waiting or assigned (finished, or erased) serve nothing: erased with the
    // retention sweep, so a parent that ended while a part waited leaves no row behind for ever.
    public const string ErasePartsOfEndedParents = """
        DELETE FROM jobs
         WHERE parent IS NOT NULL AND state <> 'assigned'
           AND NOT EXISTS (SELECT 1 FROM jobs p WHERE p.id = jobs.parent AND p.state IN ('waiting', 'assigned'));
        """;
}
