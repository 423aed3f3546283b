namespace CloudSlicer.Storage.Postgres;

/// <summary>The parts of a long create job (docs/parts.md), as <c>SqliteSql.Parts</c>: read its comments for the why.</summary>
internal static partial class PostgresJobSql
{
    public const string EnqueuePart = """
        INSERT INTO jobs (id, owner, kind, state, args, source, secrets, asset, created, parent)
        SELECT @id, p.owner, @kind, 'waiting', @args, @source, @secrets::text, @asset::text, @now, p.id
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
                      LIMIT 1
                      FOR UPDATE SKIP LOCKED)
           AND state = 'waiting'
        RETURNING *;
        """;

    public const string ListParts = "SELECT * FROM jobs WHERE parent = @parent ORDER BY seq;";

    // "held" as in Cancel: an assigned part has a slicer to stop, in whichever process it runs.
    public const string CancelParts = """
        UPDATE jobs
           SET state = 'cancelled', closed = @now, lease_expires = NULL, secrets = NULL
         WHERE parent = @parent AND state IN ('waiting', 'assigned')
           AND EXISTS (SELECT 1 FROM jobs p WHERE p.id = @parent AND p.state = 'assigned' AND p.lease_token = @token)
        RETURNING id, lease_token IS NOT NULL AS held;
        """;

    public const string ErasePartsOfEndedParents = """
        DELETE FROM jobs
         WHERE parent IS NOT NULL AND state <> 'assigned'
           AND NOT EXISTS (SELECT 1 FROM jobs p WHERE p.id = jobs.parent AND p.state IN ('waiting', 'assigned'));
        """;
}
