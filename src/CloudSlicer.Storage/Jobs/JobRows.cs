using System.Data.Common;
using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Jobs;

/// <summary>
/// Reads a row of the <c>jobs</c> table, whichever store it came from: the SQLite and PostgreSQL schemas share
/// column names and meanings, so one reader keeps the two stores from drifting apart.
/// </summary>
internal static class JobRows
{
    public static Job Read(DbDataReader row) => new()
    {
        Id = row.GetString(row.GetOrdinal("id")),
        Owner = row.GetString(row.GetOrdinal("owner")),
        Kind = JobKinds.ParseWire(row.GetString(row.GetOrdinal("kind"))),
        State = JobLifecycle.ParseWire(row.GetString(row.GetOrdinal("state"))),
        ArgsJson = row.GetString(row.GetOrdinal("args")),
        SourceJson = row.GetString(row.GetOrdinal("source")),
        SecretsJson = NullableString(row, "secrets"),
        Attempts = row.GetInt32(row.GetOrdinal("attempts")),
        LastError = row.GetString(row.GetOrdinal("last_error")),
        LastStart = row.GetInt64(row.GetOrdinal("last_start")),
        Finished = row.GetInt64(row.GetOrdinal("finished")),
        Progress = row.GetString(row.GetOrdinal("progress")),
        Percent = row.GetInt32(row.GetOrdinal("percent")),
        Asset = NullableString(row, "asset"),
        Created = row.GetInt64(row.GetOrdinal("created")),
        Slicer = NullableString(row, "slicer"),
    };

    private static string? NullableString(DbDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
    }
}
