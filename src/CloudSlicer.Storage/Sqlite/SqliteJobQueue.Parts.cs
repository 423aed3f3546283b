using CloudSlicer.Core;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Sqlite;

public sealed partial class SqliteJobQueue
{
    public async Task<IReadOnlyList<Job>> EnqueuePartsAsync(Lease parent, IReadOnlyList<NewJob> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(parts);
        var now = Now();
        var jobs = new List<Job>(parts.Count);
        await using (var write = await db.BeginWriteAsync(cancellationToken))
        {
            var connection = write.Connection;
            foreach (var part in parts)
            {
                await using var command = SqliteDatabase.CreateCommand(connection, SqliteSql.EnqueuePart,
                [
                    ("@id", Ids.New()), ("@kind", JobKind.SlicePart.ToWire()), ("@args", part.ArgsJson), ("@source", part.SourceJson),
                    ("@secrets", part.SecretsJson), ("@asset", part.Asset), ("@now", now), ("@parent", parent.JobId), ("@token", parent.Token),
                ]);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return [];   // fenced: the transaction is rolled back, nothing was queued
                }

                jobs.Add(ReadJob(reader));
            }

            await write.CommitAsync(cancellationToken);
        }

        signals.NotifyWork();
        return jobs;
    }

    public async Task<ClaimedJob?> TryClaimPartAsync(string slicer, string parent, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(slicer);
        var now = Now();
        var token = Ids.New();
        var rows = await TransitionAsync(
            SqliteSql.ClaimPart,
            [("@now", now), ("@token", token), ("@expires", now + LeaseMs), ("@slicer", slicer), ("@progress", JobTexts.Starting), ("@parent", parent)],
            cancellationToken);
        return rows is [var job] ? new ClaimedJob(job, new Lease(job.Id, token, slicer)) : null;
    }

    public async Task<IReadOnlyList<Job>> ListPartsAsync(string parent, CancellationToken cancellationToken) =>
        await db.QueryAsync(SqliteSql.ListParts, [("@parent", parent)], ReadJob, cancellationToken);

    public async Task<int> CancelPartsAsync(Lease parent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var cancelled = await db.QueryAsync(
            SqliteSql.CancelParts, [("@parent", parent.JobId), ("@token", parent.Token), ("@now", Now())], r => r.GetString(0), cancellationToken);
        foreach (var id in cancelled)
        {
            signals.NotifyCancelled(id);
        }

        return cancelled.Count;
    }
}
