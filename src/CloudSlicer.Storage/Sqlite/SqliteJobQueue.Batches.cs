using CloudSlicer.Core;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Sqlite;

public sealed partial class SqliteJobQueue
{
    public async Task<IReadOnlyList<Job>> EnqueueBatchAsync(string owner, string batchId, IReadOnlyList<BatchEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var now = Now();
        var jobs = new List<Job>(entries.Count);
        await using (var write = await db.BeginWriteAsync(cancellationToken))
        {
            var connection = write.Connection;
            await SqliteDatabase.ExecuteAsync(connection, SqliteSql.InsertBatch, [("@id", batchId), ("@owner", owner), ("@now", now)], cancellationToken);
            foreach (var (job, asset) in entries)
            {
                await using (var command = SqliteDatabase.CreateCommand(connection, SqliteSql.Enqueue, EnqueueParameters(job, now)))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    await reader.ReadAsync(cancellationToken);
                    jobs.Add(ReadJob(reader));
                }

                await SqliteDatabase.ExecuteAsync(connection, SqliteSql.InsertBatchJob, [("@batch", batchId), ("@job", jobs[^1].Id), ("@asset", asset)], cancellationToken);
            }

            await write.CommitAsync(cancellationToken);
        }

        signals.NotifyWork();
        return jobs;
    }

    public async Task<IReadOnlyList<BatchJobState>?> GetBatchAsync(string owner, string batchId, CancellationToken cancellationToken)
    {
        var states = await db.QueryAsync(
            SqliteSql.GetBatch,
            [("@id", batchId), ("@owner", owner)],
            row => new BatchJobState(
                row.GetString(0), row.GetString(1), JobLifecycle.ParseWire(row.GetString(2)), row.IsDBNull(3) ? null : row.GetString(3)),
            cancellationToken);
        if (states.Count > 0)
        {
            return states;
        }

        var exists = await db.QueryAsync(SqliteSql.BatchExists, [("@id", batchId), ("@owner", owner)], row => true, cancellationToken);
        return exists.Count > 0 ? states : null;
    }

    private static (string Name, object? Value)[] EnqueueParameters(NewJob job, long now) =>
    [
        ("@id", Ids.New()), ("@owner", job.Owner), ("@kind", job.Kind.ToWire()), ("@args", job.ArgsJson),
        ("@source", job.SourceJson), ("@secrets", job.SecretsJson), ("@asset", job.Asset), ("@now", now),
    ];
}
