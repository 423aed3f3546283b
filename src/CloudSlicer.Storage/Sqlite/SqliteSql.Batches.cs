namespace CloudSlicer.Storage.Sqlite;

internal static partial class SqliteSql
{
    public const string InsertBatch = "INSERT INTO batches (id, owner, created) VALUES (@id, @owner, @now);";

    public const string InsertBatchJob = "INSERT INTO batch_jobs (batch, job, asset) VALUES (@batch, @job, @asset);";

    // A job deleted since (jobs/delete, retention) leaves the batch: its state is no longer known.
    public const string GetBatch = """
        SELECT b.asset, j.id, j.state, CASE WHEN j.state = 'done' THEN j.asset END AS output
          FROM batches AS t
          JOIN batch_jobs AS b ON b.batch = t.id
          JOIN jobs AS j ON j.id = b.job
         WHERE t.id = @id AND t.owner = @owner
         ORDER BY b.rowid;
        """;

    // Retention: a batch goes with its last job (batch_jobs rows of erased or deleted jobs go first). A batch
    // younger than the retention is kept even when empty, so a fresh batch whose jobs were all deleted still answers.
    public const string EraseOrphanBatches = """
        DELETE FROM batch_jobs WHERE job NOT IN (SELECT id FROM jobs);
        DELETE FROM batches WHERE created < @cutoff AND id NOT IN (SELECT batch FROM batch_jobs);
        """;

    public const string BatchExists = "SELECT 1 FROM batches WHERE id = @id AND owner = @owner;";
}
