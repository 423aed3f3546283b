using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using Microsoft.Data.Sqlite;

namespace CloudSlicer.Storage.Sqlite;

/// <summary>
/// Asset records in the SQLite file. Publishing with replacement is one IMMEDIATE transaction (tombstone the
/// holders of the external id, insert the new record), so there is never a moment with two live assets under
/// one external id or none; everything else is one statement.
/// </summary>
public sealed class SqliteAssetStore(SqliteDatabase db, TimeProvider clock) : IAssetStore
{
    private const int SqliteConstraint = 19;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<PublishOutcome> PublishAsync(AssetManifest manifest, bool replaceExternalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Version > 1)
        {
            var switched = await db.QueryAsync(SqliteSql.SwitchAssetVersion, MediaParameters(manifest), Read, cancellationToken);
            return switched is [var asset] ? new PublishOutcome.Published(asset, []) : new PublishOutcome.VersionConflict();
        }

        await using var write = await db.BeginWriteAsync(cancellationToken);
        var connection = write.Connection;
        var replaced = new List<AssetManifest>();
        if (replaceExternalId && manifest.ExternalId is { } externalId)
        {
            replaced.AddRange(await QueryAsync(connection, SqliteSql.TombstoneByExternalId,
                [("@owner", manifest.Owner), ("@external_id", externalId), ("@id", manifest.Id)], cancellationToken));
        }

        List<AssetManifest> inserted;
        try
        {
            inserted = await QueryAsync(connection, SqliteSql.InsertAsset, InsertParameters(manifest), cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint && manifest.ExternalId is not null)
        {
            var holder = await SqliteDatabase.QueryAsync(connection, SqliteSql.LiveAssetIdByExternalId,
                [("@owner", manifest.Owner), ("@external_id", manifest.ExternalId)], r => r.GetString(0), cancellationToken);
            if (holder is [var other])
            {
                return new PublishOutcome.ExternalIdTaken(other);
            }

            throw;
        }

        await write.CommitAsync(cancellationToken);
        return new PublishOutcome.Published(inserted.Single(), replaced);
    }

    public async Task<AssetManifest?> GetAsync(string owner, string id, CancellationToken cancellationToken) =>
        (await db.QueryAsync(SqliteSql.GetAsset, [("@id", id), ("@owner", owner)], Read, cancellationToken)).SingleOrDefault();

    public async Task<AssetManifest?> GetByExternalIdAsync(string owner, string externalId, CancellationToken cancellationToken) =>
        (await db.QueryAsync(SqliteSql.GetAssetByExternalId, [("@owner", owner), ("@external_id", externalId)], Read, cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<AssetManifest>> GetManyAsync(string owner, IReadOnlyCollection<string> ids, bool byExternalId, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            byExternalId ? SqliteSql.GetAssetsByExternalId : SqliteSql.GetAssets,
            [("@owner", owner), ("@ids", JsonSerializer.Serialize(ids, Json))],
            Read,
            cancellationToken);

    public async Task<AssetManifest?> FindPublishedAsync(string id, CancellationToken cancellationToken) =>
        (await db.QueryAsync(SqliteSql.FindPublishedAsset, [("@id", id)], Read, cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<AssetManifest>> ListAsync(string owner, int limit, int skip, string? search, CancellationToken cancellationToken)
    {
        // SQLite reads a negative LIMIT as "no limit"; refuse it rather than return everything.
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        return await db.QueryAsync(
            SqliteSql.ListAssets,
            [("@owner", owner), ("@limit", limit), ("@skip", skip), ("@search", string.IsNullOrEmpty(search) ? null : search.ToLowerInvariant())],
            Read,
            cancellationToken);
    }

    public async Task<UpdateOutcome> UpdateAsync(string owner, string id, AssetUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            var rows = await db.QueryAsync(
                SqliteSql.UpdateAsset,
                [
                    ("@id", id), ("@owner", owner), ("@desc", update.Desc), ("@external_id", update.ExternalId),
                    ("@meta", update.Meta is null ? null : MetaJson(update.Meta)),
                ],
                Read,
                cancellationToken);
            return rows is [var asset] ? new UpdateOutcome.Updated(asset) : new UpdateOutcome.NotFound();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint && update.ExternalId is not null)
        {
            var holder = await GetByExternalIdAsync(owner, update.ExternalId, cancellationToken);
            return holder is not null ? new UpdateOutcome.ExternalIdTaken(holder.Id) : throw new InvalidOperationException("constraint failed without a holder", ex);
        }
    }

    public async Task<AssetManifest?> MarkDeletedAsync(string owner, string id, CancellationToken cancellationToken) =>
        (await db.QueryAsync(SqliteSql.TombstoneAsset, [("@id", id), ("@owner", owner)], Read, cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<AssetManifest>> ExpireDueAsync(int max, CancellationToken cancellationToken) =>
        await db.QueryAsync(SqliteSql.TombstoneExpiredAssets, [("@now", Now()), ("@max", max)], Read, cancellationToken);

    public async Task<IReadOnlyList<AssetManifest>> ListDeletedAsync(int max, CancellationToken cancellationToken) =>
        await db.QueryAsync(SqliteSql.ListDeletedAssets, [("@max", max)], Read, cancellationToken);

    public Task PurgeAsync(string id, CancellationToken cancellationToken) =>
        db.ExecuteAsync(SqliteSql.PurgeAsset, [("@id", id)], cancellationToken);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static Task<List<AssetManifest>> QueryAsync(
        SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken) =>
        SqliteDatabase.QueryAsync(connection, sql, parameters, Read, cancellationToken);

    private (string, object?)[] InsertParameters(AssetManifest m) =>
    [
        .. MediaParameters(m),
        ("@external_id", m.ExternalId), ("@desc", m.Desc), ("@meta", MetaJson(m.Meta)), ("@orig_filename", m.OrigFilename),
        ("@skip_drm", m.SkipDrm), ("@now", Now()), ("@autoexpire", m.AutoexpireHours),
    ];

    private static (string, object?)[] MediaParameters(AssetManifest m) =>
    [
        ("@id", m.Id), ("@owner", m.Owner), ("@version", m.Version), ("@job", m.Job), ("@duration", m.Duration),
        ("@slice_dur", m.SliceDuration), ("@slices", m.Slices), ("@rays", JsonSerializer.Serialize(m.Rays, Json)),
        ("@renditions", JsonSerializer.Serialize(m.Renditions, Json)), ("@break_offsets", JsonSerializer.Serialize(m.BreakOffsets, Json)),
        ("@poster", m.Poster), ("@thumbnails", JsonSerializer.Serialize(m.Thumbnails, Json)),
        ("@folder", m.Folder), ("@locations", JsonSerializer.Serialize(m.Locations, Json)), ("@superseded", JsonSerializer.Serialize(m.Superseded, Json)),
        ("@export", m.Export is null ? null : JsonSerializer.Serialize(m.Export, Json)),
    ];

    private static string MetaJson(IReadOnlyDictionary<string, AssetMetaValue> meta)
    {
        var json = new JsonObject();
        foreach (var (key, value) in meta)
        {
            json[key] = value.ToJson();
        }

        return json.ToJsonString();
    }

    private static Dictionary<string, AssetMetaValue> ReadMeta(string text)
    {
        var meta = new Dictionary<string, AssetMetaValue>(StringComparer.Ordinal);
        foreach (var (key, value) in JsonNode.Parse(text) as JsonObject ?? [])
        {
            if (AssetMetaValue.TryFrom(value, out var v))
            {
                meta[key] = v;
            }
        }

        return meta;
    }

    private static AssetManifest Read(SqliteDataReader row) => new()
    {
        Id = row.GetString(row.GetOrdinal("id")),
        Owner = row.GetString(row.GetOrdinal("owner")),
        State = row.GetString(row.GetOrdinal("state")),
        Version = row.GetInt32(row.GetOrdinal("version")),
        Job = NullableString(row, "job"),
        ExternalId = NullableString(row, "external_id"),
        Desc = row.GetString(row.GetOrdinal("desc")),
        Meta = ReadMeta(row.GetString(row.GetOrdinal("meta"))),
        Duration = row.GetDouble(row.GetOrdinal("duration")),
        SliceDuration = row.GetDouble(row.GetOrdinal("slice_dur")),
        Slices = row.GetInt32(row.GetOrdinal("slices")),
        Rays = Deserialize<List<Ray>>(row, "rays"),
        Renditions = Deserialize<List<Rendition>>(row, "renditions"),
        BreakOffsets = Deserialize<List<BreakOffset>>(row, "break_offsets"),
        Poster = NullableString(row, "poster"),
        Thumbnails = Deserialize<List<ThumbnailSet>>(row, "thumbnails"),
        OrigFilename = row.GetString(row.GetOrdinal("orig_filename")),
        SkipDrm = row.GetBoolean(row.GetOrdinal("skip_drm")),
        Created = row.GetInt64(row.GetOrdinal("created")),
        AutoexpireHours = row.GetInt32(row.GetOrdinal("autoexpire")),
        Expires = row.IsDBNull(row.GetOrdinal("expires")) ? null : row.GetInt64(row.GetOrdinal("expires")),
        Folder = NullableString(row, "folder"),
        Locations = Deserialize<Dictionary<string, string>>(row, "locations"),
        Superseded = Deserialize<List<string>>(row, "superseded"),
        Export = NullableString(row, "export") is { } export ? JsonSerializer.Deserialize<AssetExport>(export, Json) : null,
    };

    private static T Deserialize<T>(SqliteDataReader row, string column)
        where T : new() =>
        JsonSerializer.Deserialize<T>(row.GetString(row.GetOrdinal(column)), Json) ?? new T();

    private static string? NullableString(SqliteDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
    }
}
