using CloudSlicer.Core;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Postgres;

public sealed partial class PostgresJobQueue
{
    public async Task<IReadOnlyList<Job>> EnqueuePartsAsync(Lease parent, IReadOnlyList<NewJob> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(parts);
        var now = Now();
        var jobs = new List<Job>(parts.Count);
        await using (var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var part in parts)
            {
                var rows = await PostgresDatabase.QueryAsync(connection, PostgresJobSql.EnqueuePart,
                [
                    ("id", Ids.New()), ("kind", JobKind.SlicePart.ToWire()), ("args", part.ArgsJson), ("source", part.SourceJson),
                    ("secrets", part.SecretsJson), ("asset", part.Asset), ("now", now), ("parent", parent.JobId), ("token", parent.Token),
                ], JobRows.Read, cancellationToken).ConfigureAwait(false);
                if (rows is not [var job])
                {
                    return [];   // fenced: the transaction rolls back, nothing was queued
                }

                jobs.Add(job);
            }

            await AnnounceWorkAsync(connection, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
            PostgresJobSql.ClaimPart,
            [("now", now), ("token", token), ("expires", now + LeaseMs), ("slicer", slicer), ("progress", JobTexts.Starting), ("parent", parent)],
            cancellationToken).ConfigureAwait(false);
        return rows is [var job] ? new ClaimedJob(job, new Lease(job.Id, token, slicer)) : null;
    }

    public async Task<IReadOnlyList<Job>> ListPartsAsync(string parent, CancellationToken cancellationToken) =>
        await db.QueryAsync(PostgresJobSql.ListParts, [("parent", parent)], JobRows.Read, cancellationToken).ConfigureAwait(false);

    public async Task<int> CancelPartsAsync(Lease parent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        List<(string Id, bool Held)> cancelled;
        await using (var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            cancelled = await PostgresDatabase.QueryAsync(
                connection, PostgresJobSql.CancelParts, [("parent", parent.JobId), ("token", parent.Token), ("now", Now())],
                r => (r.GetString(0), r.GetBoolean(1)), cancellationToken).ConfigureAwait(false);
            await AnnounceCancelsAsync(connection, cancelled, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (id, _) in cancelled)
        {
            signals.NotifyCancelled(id);
        }

        return cancelled.Count;
    }

    // Parts running in other processes learn of their cancel through the listener there.
    private async Task AnnounceCancelsAsync(Npgsql.NpgsqlConnection connection, IEnumerable<(string Id, bool Held)> cancelled, CancellationToken cancellationToken)
    {
        foreach (var (id, _) in cancelled.Where(c => c.Held))
        {
            await NotifyAsync(connection, PostgresJobChannels.Cancel, PostgresJobChannels.CancelPayload(_origin, id), cancellationToken).ConfigureAwait(false);
        }
    }
}
