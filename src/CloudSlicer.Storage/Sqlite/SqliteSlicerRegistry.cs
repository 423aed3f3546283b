using System.Text.Json;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Slicers;
using Microsoft.Data.Sqlite;

namespace CloudSlicer.Storage.Sqlite;

/// <summary>The slicer registry in the job store's SQLite file (table <c>slicers</c>, migration 0005).</summary>
public sealed class SqliteSlicerRegistry(SqliteDatabase db, TimeProvider clock) : ISlicerRegistry
{
    public Task RegisterAsync(SlicerRegistration slicer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slicer);
        ArgumentException.ThrowIfNullOrEmpty(slicer.Id);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(slicer.BeatInterval, TimeSpan.Zero);
        return db.ExecuteAsync(
            SqliteSql.RegisterSlicer,
            [
                ("@id", slicer.Id), ("@host", slicer.Host), ("@pid", slicer.Pid),
                ("@kinds", JsonSerializer.Serialize(slicer.Kinds.Select(k => k.ToWire()).Distinct())),
                ("@beat_ms", (long)slicer.BeatInterval.TotalMilliseconds), ("@now", Now()),
            ],
            cancellationToken);
    }

    public async Task<bool> BeatAsync(string id, string? job, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(SqliteSql.BeatSlicer, [("@id", id), ("@job", job), ("@now", Now())], cancellationToken) == 1;

    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        db.ExecuteAsync(SqliteSql.RemoveSlicer, [("@id", id)], cancellationToken);

    public async Task<IReadOnlyList<SlicerRecord>> ListAliveAsync(CancellationToken cancellationToken) =>
        await db.QueryAsync(SqliteSql.AliveSlicers, [("@missedBeats", SlicerLiveness.MissedBeats), ("@now", Now())], Read, cancellationToken);

    public Task<int> ForgetStaleAsync(TimeSpan age, CancellationToken cancellationToken) =>
        db.ExecuteAsync(SqliteSql.ForgetStaleSlicers, [("@cutoff", Now() - (long)age.TotalMilliseconds)], cancellationToken);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static SlicerRecord Read(SqliteDataReader row)
    {
        var jobOrdinal = row.GetOrdinal("job");
        return new SlicerRecord(
            Id: row.GetString(row.GetOrdinal("id")),
            Host: row.GetString(row.GetOrdinal("host")),
            Pid: row.GetInt32(row.GetOrdinal("pid")),
            Kinds: KnownKinds(row.GetString(row.GetOrdinal("kinds"))),
            BeatInterval: TimeSpan.FromMilliseconds(row.GetInt64(row.GetOrdinal("beat_ms"))),
            Started: row.GetInt64(row.GetOrdinal("started")),
            LastSeen: row.GetInt64(row.GetOrdinal("last_seen")),
            Job: row.IsDBNull(jobOrdinal) ? null : row.GetString(jobOrdinal));
    }

    // A slicer of a newer build may name kinds this one does not know; those cannot be waiting here anyway.
    private static JobKind[] KnownKinds(string json)
    {
        var wire = JsonSerializer.Deserialize<string[]>(json) ?? [];
        return [.. Enum.GetValues<JobKind>().Where(k => wire.Contains(k.ToWire()))];
    }
}
