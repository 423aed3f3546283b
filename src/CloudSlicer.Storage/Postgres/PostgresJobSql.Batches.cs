namespace CloudSlicer.Storage.Postgres;

internal static partial class PostgresJobSql
{
    public const string InsertBatch = "INSERT INTO batches (id, owner, created) VALUES (@id, @owner, @now);";

    public const string InsertBatchJob = "INSERT INTO batch_jobs (batch, job, asset) VALUES (@batch, @job, @asset);";

    // In the order given: a batch's jobs are inserted one after another in one transaction, so their seq (an
    // identity, increasing within the session) is that order; batch_jobs has no rowid here.
    public const string GetBatch = """
        SELECT b.asset, j.id, j.state, CASE WHEN j.state = 'done' THEN j.asset END AS output
          FROM batches AS t
          JOIN batch_jobs AS b ON b.batch = t.id
          JOIN jobs AS j ON j.id = b.job
         WHERE t.id = @id AND t.owner = @owner
         ORDER BY j.seq;
        """;

    // As SqliteSql.EraseOrphanBatches: batch_jobs rows of erased or deleted jobs first, then batches left empty
    // and older than the retention.
    public const string EraseOrphanBatchJobs = "DELETE FROM batch_jobs WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = batch_jobs.job);";

    public const string EraseOrphanBatches = """
        DELETE FROM batches WHERE created < @cutoff AND NOT EXISTS (SELECT 1 FROM batch_jobs WHERE batch_jobs.batch = batches.id);
        """;

    public const string BatchExists = "SELECT 1 FROM batches WHERE id = @id AND owner = @owner;";
}
