using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Sqlite;

public sealed partial class SqliteJobQueue
{
    public async Task<Job?> FindActiveWorkAsync(string owner, string? asset, string? externalId, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync(
            SqliteSql.FindActiveWork, [("@owner", owner), ("@asset", asset), ("@external", externalId)], ReadJob, cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }
}
