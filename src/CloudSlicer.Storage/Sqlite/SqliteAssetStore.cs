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

    public async Task<PublishOutcome> PublishAsync(AssetManifest manifest, bool replaceExternalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Version > 1)
        {
            var switched = await db.QueryAsync(SqliteSql.SwitchAssetVersion, AssetRows.MediaParameters(manifest), AssetRows.Read, cancellationToken);
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
            inserted = await QueryAsync(connection, SqliteSql.InsertAsset, AssetRows.InsertParameters(manifest, Now()), cancellationToken);
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
        (await db.QueryAsync(SqliteSql.GetAsset, [("@id", id), ("@owner", owner)], AssetRows.Read, cancellationToken)).SingleOrDefault();

    public async Task<AssetManifest?> GetByExternalIdAsync(string owner, string externalId, CancellationToken cancellationToken) =>
        (await db.QueryAsync(SqliteSql.GetAssetByExternalId, [("@owner", owner), ("@external_id", externalId)], AssetRows.Read, cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<AssetManifest>> GetManyAsync(string owner, IReadOnlyCollection<string> ids, bool byExternalId, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            byExternalId ? SqliteSql.GetAssetsByExternalId : SqliteSql.GetAssets,
            [("@owner", owner), ("@ids", AssetRows.IdsJson(ids))],
            AssetRows.Read,
            cancellationToken);

    public async Task<AssetManifest?> FindPublishedAsync(string id, CancellationToken cancellationToken) =>
        (await db.QueryAsync(SqliteSql.FindPublishedAsset, [("@id", id)], AssetRows.Read, cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<AssetManifest>> ListAsync(string owner, int limit, int skip, string? search, CancellationToken cancellationToken)
    {
        // SQLite reads a negative LIMIT as "no limit"; refuse it rather than return everything.
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        return await db.QueryAsync(
            SqliteSql.ListAssets,
            [("@owner", owner), ("@limit", limit), ("@skip", skip), ("@search", string.IsNullOrEmpty(search) ? null : search.ToLowerInvariant())],
            AssetRows.Read,
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
                    ("@meta", update.Meta is null ? null : AssetRows.MetaJson(update.Meta)),
                ],
                AssetRows.Read,
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
        (await db.QueryAsync(SqliteSql.TombstoneAsset, [("@id", id), ("@owner", owner)], AssetRows.Read, cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<AssetManifest>> ExpireDueAsync(int max, CancellationToken cancellationToken) =>
        await db.QueryAsync(SqliteSql.TombstoneExpiredAssets, [("@now", Now()), ("@max", max)], AssetRows.Read, cancellationToken);

    public async Task<IReadOnlyList<AssetManifest>> ListDeletedAsync(int max, CancellationToken cancellationToken) =>
        await db.QueryAsync(SqliteSql.ListDeletedAssets, [("@max", max)], AssetRows.Read, cancellationToken);

    public Task PurgeAsync(string id, CancellationToken cancellationToken) =>
        db.ExecuteAsync(SqliteSql.PurgeAsset, [("@id", id)], cancellationToken);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static Task<List<AssetManifest>> QueryAsync(
        SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken) =>
        SqliteDatabase.QueryAsync(connection, sql, parameters, AssetRows.Read, cancellationToken);
}
