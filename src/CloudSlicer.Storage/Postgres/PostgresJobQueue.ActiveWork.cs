using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Postgres;

public sealed partial class PostgresJobQueue
{
    public async Task<Job?> FindActiveWorkAsync(string owner, string? asset, string? externalId, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync(
            PostgresJobSql.FindActiveWork, [("owner", owner), ("asset", asset), ("external", externalId)], JobRows.Read, cancellationToken).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : null;
    }
}
