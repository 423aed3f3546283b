namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// The statements of <see cref="PostgresAssetStore"/>: SqliteSql's asset statements on PostgreSQL. Lists of
/// ids travel as one text[] parameter (<c>= ANY(@ids)</c>); a parameter that may be null and has no column to
/// take its type from is cast, so PostgreSQL need not guess.
/// </summary>
internal static class PostgresAssetSql
{
    private const string Columns = """
        id, owner, state, version, job, external_id, "desc", meta, duration, slice_dur, slices, rays, renditions,
        break_offsets, poster, thumbnails, orig_filename, skip_drm, created, autoexpire, expires, folder, locations, superseded, export
        """;

    // Nothing when another live asset of the owner holds the external id: the caller then finds the holder, in
    // the same transaction, instead of an aborted one.
    public const string Insert = "INSERT INTO assets (" + Columns + """
        ) VALUES (@id, @owner, 'ready', 1, @job, @external_id, @desc, @meta, @duration, @slice_dur, @slices, @rays, @renditions,
                  @break_offsets, @poster, @thumbnails, @orig_filename, @skip_drm, @now, @autoexpire,
                  CASE WHEN @autoexpire > 0 THEN @now + @autoexpire::bigint * 3600000 END, @folder, @locations, @superseded, @export)
        ON CONFLICT (owner, external_id) WHERE external_id IS NOT NULL AND state = 'ready' DO NOTHING
        RETURNING *
        """;

    // A later version replaces the media the record describes, only if the record is still at the version
    // before it; what the customer set (external id, desc, meta, expiry) belongs to the asset and stays.
    public const string SwitchVersion = """
        UPDATE assets
           SET version = @version, job = @job, duration = @duration, slice_dur = @slice_dur, slices = @slices,
               rays = @rays, renditions = @renditions, break_offsets = @break_offsets, poster = @poster,
               thumbnails = @thumbnails, folder = @folder, locations = @locations, superseded = @superseded, export = @export
         WHERE id = @id AND owner = @owner AND state = 'ready' AND version = @version - 1
        RETURNING *
        """;

    public const string TombstoneByExternalId = """
        UPDATE assets SET state = 'deleted'
         WHERE owner = @owner AND external_id = @external_id AND state = 'ready' AND id <> @id
        RETURNING *
        """;

    public const string LiveIdByExternalId = "SELECT id FROM assets WHERE owner = @owner AND external_id = @external_id AND state = 'ready'";

    public const string Get = "SELECT * FROM assets WHERE id = @id AND owner = @owner AND state = 'ready'";

    public const string GetByExternalId = "SELECT * FROM assets WHERE owner = @owner AND external_id = @external_id AND state = 'ready'";

    public const string GetMany = "SELECT * FROM assets WHERE owner = @owner AND state = 'ready' AND id = ANY(@ids)";

    public const string GetManyByExternalId = "SELECT * FROM assets WHERE owner = @owner AND state = 'ready' AND external_id = ANY(@ids)";

    public const string FindPublished = "SELECT * FROM assets WHERE id = @id AND state = 'ready'";

    public const string List = """
        SELECT * FROM assets
         WHERE owner = @owner AND state = 'ready'
           AND (@search::text IS NULL OR strpos(lower("desc"), @search::text) > 0
                OR strpos(lower(COALESCE(external_id, '')), @search::text) > 0)
         ORDER BY created DESC, seq DESC
         LIMIT @limit OFFSET @skip
        """;

    // Meta: the given keys are added or overwritten and the others kept, as SQLite's json_patch does (values are
    // strings or numbers, never objects or null). json, not jsonb, keeps the keys in the order they came: the
    // record's own first, then the new ones.
    public const string Update = """
        UPDATE assets
           SET "desc" = COALESCE(@desc::text, "desc"),
               meta = CASE WHEN @meta::text IS NULL THEN meta ELSE (
                   SELECT COALESCE(json_object_agg(merged.key, merged.value ORDER BY merged.side, merged.pos)::text, '{}')
                     FROM (SELECT m.key, COALESCE(p.value, m.value) AS value, 0 AS side, m.pos
                             FROM json_each(meta::json) WITH ORDINALITY AS m (key, value, pos)
                             LEFT JOIN json_each(@meta::json) AS p (key, value) ON p.key = m.key
                           UNION ALL
                           SELECT p.key, p.value, 1, p.pos
                             FROM json_each(@meta::json) WITH ORDINALITY AS p (key, value, pos)
                            WHERE NOT EXISTS (SELECT 1 FROM json_each(meta::json) AS o WHERE o.key = p.key)) AS merged)
               END,
               external_id = COALESCE(@external_id::text, external_id)
         WHERE id = @id AND owner = @owner AND state = 'ready'
        RETURNING *
        """;

    public const string Tombstone = "UPDATE assets SET state = 'deleted' WHERE id = @id AND owner = @owner AND state = 'ready' RETURNING *";

    // Two sweepers (two API nodes) take different rows; the outer state check keeps a row another sweeper just
    // tombstoned from being returned twice.
    public const string TombstoneExpired = """
        UPDATE assets SET state = 'deleted'
         WHERE state = 'ready'
           AND id IN (SELECT id FROM assets WHERE state = 'ready' AND expires IS NOT NULL AND expires <= @now
                       ORDER BY expires LIMIT @max FOR UPDATE SKIP LOCKED)
        RETURNING *
        """;

    public const string ListDeleted = "SELECT * FROM assets WHERE state = 'deleted' ORDER BY seq LIMIT @max";

    public const string Purge = "DELETE FROM assets WHERE id = @id AND state = 'deleted'";
}
