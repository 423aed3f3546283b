using CloudSlicer.Storage.Slicers;

namespace CloudSlicer.Storage.Postgres;

/// <summary>The slicer registry on PostgreSQL (table <c>slicers</c>), where slicers on every machine of a deployment beat.</summary>
public sealed class PostgresSlicerRegistry(PostgresDatabase db, TimeProvider clock) : ISlicerRegistry
{
    public Task RegisterAsync(SlicerRegistration slicer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slicer);
        ArgumentException.ThrowIfNullOrEmpty(slicer.Id);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(slicer.BeatInterval, TimeSpan.Zero);
        return db.ExecuteAsync(
            PostgresSlicerSql.Register,
            [
                ("id", slicer.Id), ("host", slicer.Host), ("pid", slicer.Pid), ("kinds", SlicerRows.KindsJson(slicer.Kinds)),
                ("beat_ms", (long)slicer.BeatInterval.TotalMilliseconds), ("now", Now()),
            ],
            cancellationToken);
    }

    public async Task<bool> BeatAsync(string id, string? job, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(PostgresSlicerSql.Beat, [("id", id), ("job", job), ("now", Now())], cancellationToken).ConfigureAwait(false) == 1;

    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        db.ExecuteAsync(PostgresSlicerSql.Remove, [("id", id)], cancellationToken);

    public async Task<IReadOnlyList<SlicerRecord>> ListAliveAsync(CancellationToken cancellationToken) =>
        await db.QueryAsync(PostgresSlicerSql.Alive, [("missedBeats", SlicerLiveness.MissedBeats), ("now", Now())], SlicerRows.Read, cancellationToken).ConfigureAwait(false);

    public Task<int> ForgetStaleAsync(TimeSpan age, CancellationToken cancellationToken) =>
        db.ExecuteAsync(PostgresSlicerSql.ForgetStale, [("cutoff", Now() - (long)age.TotalMilliseconds)], cancellationToken);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
