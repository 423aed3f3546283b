using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using Npgsql;

namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// Asset records on PostgreSQL. Publishing with replacement is one transaction (tombstone the holders of the
/// external id, insert the new record), and the partial unique index on (owner, external_id) of live assets
/// decides between processes publishing at once, so there is never a moment with two live assets under one
/// external id or none; everything else is one statement.
/// </summary>
public sealed class PostgresAssetStore(PostgresDatabase db, TimeProvider clock) : IAssetStore
{
    public async Task<PublishOutcome> PublishAsync(AssetManifest manifest, bool replaceExternalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Version > 1)
        {
            var switched = await db.QueryAsync(PostgresAssetSql.SwitchVersion, AssetRows.MediaParameters(manifest), AssetRows.Read, cancellationToken).ConfigureAwait(false);
            return switched is [var asset] ? new PublishOutcome.Published(asset, []) : new PublishOutcome.VersionConflict();
        }

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var replaced = new List<AssetManifest>();
        var externalId = manifest.ExternalId;
        while (true)
        {
            if (replaceExternalId && externalId is not null)
            {
                replaced.AddRange(await QueryAsync(connection, PostgresAssetSql.TombstoneByExternalId,
                    [("owner", manifest.Owner), ("external_id", externalId), ("id", manifest.Id)], cancellationToken).ConfigureAwait(false));
            }

            var inserted = await QueryAsync(connection, PostgresAssetSql.Insert, AssetRows.InsertParameters(manifest, Now()), cancellationToken).ConfigureAwait(false);
            if (inserted is [var asset])
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new PublishOutcome.Published(asset, replaced);
            }

            // The external id is held by an asset committed after this transaction's statements looked. When
            // replacing, the next round tombstones it too (the last publisher wins, as on SQLite); otherwise it
            // is the answer, unless it has gone again in between.
            if (!replaceExternalId)
            {
                var holder = await PostgresDatabase.QueryAsync(connection, PostgresAssetSql.LiveIdByExternalId,
                    [("owner", manifest.Owner), ("external_id", externalId)], r => r.GetString(0), cancellationToken).ConfigureAwait(false);
                if (holder is [var other])
                {
                    return new PublishOutcome.ExternalIdTaken(other);
                }
            }
        }
    }

    public async Task<AssetManifest?> GetAsync(string owner, string id, CancellationToken cancellationToken) =>
        (await db.QueryAsync(PostgresAssetSql.Get, [("id", id), ("owner", owner)], AssetRows.Read, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<AssetManifest?> GetByExternalIdAsync(string owner, string externalId, CancellationToken cancellationToken) =>
        (await db.QueryAsync(PostgresAssetSql.GetByExternalId, [("owner", owner), ("external_id", externalId)], AssetRows.Read, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<AssetManifest>> GetManyAsync(string owner, IReadOnlyCollection<string> ids, bool byExternalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return await db.QueryAsync(
            byExternalId ? PostgresAssetSql.GetManyByExternalId : PostgresAssetSql.GetMany,
            [("owner", owner), ("ids", ids.ToArray())],
            AssetRows.Read,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<AssetManifest?> FindPublishedAsync(string id, CancellationToken cancellationToken) =>
        (await db.QueryAsync(PostgresAssetSql.FindPublished, [("id", id)], AssetRows.Read, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<AssetManifest>> ListAsync(string owner, int limit, int skip, string? search, CancellationToken cancellationToken)
    {
        // As on SQLite: a negative limit is refused rather than read as "everything".
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        return await db.QueryAsync(
            PostgresAssetSql.List,
            [("owner", owner), ("limit", limit), ("skip", skip), ("search", string.IsNullOrEmpty(search) ? null : search.ToLowerInvariant())],
            AssetRows.Read,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<UpdateOutcome> UpdateAsync(string owner, string id, AssetUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            var rows = await db.QueryAsync(
                PostgresAssetSql.Update,
                [
                    ("id", id), ("owner", owner), ("desc", update.Desc), ("external_id", update.ExternalId),
                    ("meta", update.Meta is null ? null : AssetRows.MetaJson(update.Meta)),
                ],
                AssetRows.Read,
                cancellationToken).ConfigureAwait(false);
            return rows is [var asset] ? new UpdateOutcome.Updated(asset) : new UpdateOutcome.NotFound();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && update.ExternalId is not null)
        {
            var holder = await GetByExternalIdAsync(owner, update.ExternalId, cancellationToken).ConfigureAwait(false);
            return holder is not null ? new UpdateOutcome.ExternalIdTaken(holder.Id) : throw new InvalidOperationException("constraint failed without a holder", ex);
        }
    }

    public async Task<AssetManifest?> MarkDeletedAsync(string owner, string id, CancellationToken cancellationToken) =>
        (await db.QueryAsync(PostgresAssetSql.Tombstone, [("id", id), ("owner", owner)], AssetRows.Read, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<AssetManifest>> ExpireDueAsync(int max, CancellationToken cancellationToken) =>
        await db.QueryAsync(PostgresAssetSql.TombstoneExpired, [("now", Now()), ("max", max)], AssetRows.Read, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<AssetManifest>> ListDeletedAsync(int max, CancellationToken cancellationToken) =>
        await db.QueryAsync(PostgresAssetSql.ListDeleted, [("max", max)], AssetRows.Read, cancellationToken).ConfigureAwait(false);

    public Task PurgeAsync(string id, CancellationToken cancellationToken) =>
        db.ExecuteAsync(PostgresAssetSql.Purge, [("id", id)], cancellationToken);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static Task<List<AssetManifest>> QueryAsync(
        NpgsqlConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken) =>
        PostgresDatabase.QueryAsync(connection, sql, parameters, AssetRows.Read, cancellationToken);
}
