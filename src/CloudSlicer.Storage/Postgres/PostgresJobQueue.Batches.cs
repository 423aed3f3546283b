using CloudSlicer.Core;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Postgres;

public sealed partial class PostgresJobQueue
{
    public async Task<IReadOnlyList<Job>> EnqueueBatchAsync(string owner, string batchId, IReadOnlyList<BatchEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var now = Now();
        var jobs = new List<Job>(entries.Count);
        await using (var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await PostgresDatabase.ExecuteAsync(
                connection, PostgresJobSql.InsertBatch, [("id", batchId), ("owner", owner), ("now", now)], cancellationToken).ConfigureAwait(false);
            foreach (var (job, asset) in entries)
            {
                jobs.Add((await PostgresDatabase.QueryAsync(connection, PostgresJobSql.Enqueue, EnqueueParameters(job, now), JobRows.Read, cancellationToken)
                    .ConfigureAwait(false)).Single());
                await PostgresDatabase.ExecuteAsync(
                    connection, PostgresJobSql.InsertBatchJob, [("batch", batchId), ("job", jobs[^1].Id), ("asset", asset)], cancellationToken).ConfigureAwait(false);
            }

            await AnnounceWorkAsync(connection, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        signals.NotifyWork();
        return jobs;
    }

    public async Task<IReadOnlyList<BatchJobState>?> GetBatchAsync(string owner, string batchId, CancellationToken cancellationToken)
    {
        var states = await db.QueryAsync(
            PostgresJobSql.GetBatch,
            [("id", batchId), ("owner", owner)],
            row => new BatchJobState(
                row.GetString(0), row.GetString(1), JobLifecycle.ParseWire(row.GetString(2)), row.IsDBNull(3) ? null : row.GetString(3)),
            cancellationToken).ConfigureAwait(false);
        if (states.Count > 0)
        {
            return states;
        }

        var exists = await db.QueryAsync(PostgresJobSql.BatchExists, [("id", batchId), ("owner", owner)], row => true, cancellationToken).ConfigureAwait(false);
        return exists.Count > 0 ? states : null;
    }

    private static (string Name, object? Value)[] EnqueueParameters(NewJob job, long now) =>
    [
        ("id", Ids.New()), ("owner", job.Owner), ("kind", job.Kind.ToWire()), ("args", job.ArgsJson),
        ("source", job.SourceJson), ("secrets", job.SecretsJson), ("asset", job.Asset), ("now", now),
    ];
}
