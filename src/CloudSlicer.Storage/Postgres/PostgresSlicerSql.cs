namespace CloudSlicer.Storage.Postgres;

/// <summary>The statements of <see cref="PostgresSlicerRegistry"/>; as SqliteSql's, on PostgreSQL.</summary>
internal static class PostgresSlicerSql
{
    // A restart that reuses host and pid (pid 1 in a container) replaces the old row: it is the same slicer.
    public const string Register = """
        INSERT INTO slicers (id, host, pid, kinds, beat_ms, started, last_seen, job)
        VALUES (@id, @host, @pid, @kinds, @beat_ms, @now, @now, NULL)
        ON CONFLICT (id) DO UPDATE
           SET host = excluded.host, pid = excluded.pid, kinds = excluded.kinds, beat_ms = excluded.beat_ms,
               started = excluded.started, last_seen = excluded.last_seen, job = NULL
        """;

    public const string Beat = "UPDATE slicers SET last_seen = @now, job = @job WHERE id = @id";

    public const string Remove = "DELETE FROM slicers WHERE id = @id";

    public const string Alive = "SELECT * FROM slicers WHERE last_seen + @missedBeats * beat_ms >= @now ORDER BY id";

    public const string ForgetStale = "DELETE FROM slicers WHERE last_seen < @cutoff";
}
