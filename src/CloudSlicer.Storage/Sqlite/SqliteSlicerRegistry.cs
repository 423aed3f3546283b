using CloudSlicer.Storage.Slicers;

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
                ("@kinds", SlicerRows.KindsJson(slicer.Kinds)),
                ("@beat_ms", (long)slicer.BeatInterval.TotalMilliseconds), ("@now", Now()),
            ],
            cancellationToken);
    }

    public async Task<bool> BeatAsync(string id, string? job, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(SqliteSql.BeatSlicer, [("@id", id), ("@job", job), ("@now", Now())], cancellationToken) == 1;

    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        db.ExecuteAsync(SqliteSql.RemoveSlicer, [("@id", id)], cancellationToken);

    public async Task<IReadOnlyList<SlicerRecord>> ListAliveAsync(CancellationToken cancellationToken) =>
        await db.QueryAsync(SqliteSql.AliveSlicers, [("@missedBeats", SlicerLiveness.MissedBeats), ("@now", Now())], SlicerRows.Read, cancellationToken);

    public Task<int> ForgetStaleAsync(TimeSpan age, CancellationToken cancellationToken) =>
        db.ExecuteAsync(SqliteSql.ForgetStaleSlicers, [("@cutoff", Now() - (long)age.TotalMilliseconds)], cancellationToken);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
