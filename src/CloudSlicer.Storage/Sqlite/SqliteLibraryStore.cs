using System.Text.Json;
using CloudSlicer.Core;
using CloudSlicer.Storage.Libraries;
using Microsoft.Data.Sqlite;

namespace CloudSlicer.Storage.Sqlite;

/// <summary>
/// Libraries in the SQLite file. Every change is one IMMEDIATE transaction that checks the caller owns the
/// library, changes it and reads it back, so the answer is the library as that change left it.
/// </summary>
public sealed class SqliteLibraryStore(SqliteDatabase db, TimeProvider clock) : ILibraryStore
{
    // Visible to @caller: its own, or shared with it.
    private const string Visible = """
        (l.owner = @caller OR EXISTS (SELECT 1 FROM library_shares s WHERE s.library = l.id AND s.owner = @caller))
        """;

    private const string InsertLibrary = """
        INSERT INTO libraries (id, owner, desc, created)
        SELECT @id, @owner, @desc, @now
         WHERE (SELECT COUNT(*) FROM libraries WHERE owner = @owner) < @max
        RETURNING created;
        """;

    private const string SelectVisible = "SELECT l.id, l.owner, l.desc, l.created FROM libraries l WHERE l.id = @id AND " + Visible + ";";

    private const string ListVisible = "SELECT l.id, l.owner, l.desc, l.created FROM libraries l WHERE " + Visible + " ORDER BY l.seq;";

    private const string MembersOf = """
        SELECT la.library, la.asset FROM library_assets la JOIN assets a ON a.id = la.asset AND a.state = 'ready'
         WHERE la.library IN (SELECT value FROM json_each(@ids))
         ORDER BY la.seq;
        """;

    private const string SharesOf = """
        SELECT library, owner FROM library_shares WHERE library IN (SELECT value FROM json_each(@ids)) ORDER BY seq;
        """;

    private const string OwnLiveAssets = """
        SELECT id FROM assets WHERE owner = @owner AND state = 'ready' AND id IN (SELECT value FROM json_each(@ids));
        """;

    private const string CountLiveMembers = """
        SELECT COUNT(*) FROM library_assets la JOIN assets a ON a.id = la.asset AND a.state = 'ready' WHERE la.library = @id;
        """;

    private const string CountNewMembers = """
        SELECT COUNT(*) FROM (SELECT DISTINCT value FROM json_each(@ids))
         WHERE value NOT IN (SELECT asset FROM library_assets WHERE library = @id);
        """;

    // json_each yields the array in order, so seq keeps the order the assets were given in.
    private const string InsertMembers = """
        INSERT OR IGNORE INTO library_assets (library, asset, added) SELECT @id, value, @now FROM json_each(@ids);
        """;

    private const string DeleteMembers = """
        DELETE FROM library_assets WHERE library = @id AND asset IN (SELECT value FROM json_each(@ids)) RETURNING asset;
        """;

    private const string OwnerExists = "SELECT EXISTS (SELECT 1 FROM owners WHERE id = @owner);";

    private const string CountShares = "SELECT COUNT(*) FROM library_shares WHERE library = @id AND owner <> @owner;";

    private const string InsertShare = "INSERT OR IGNORE INTO library_shares (library, owner, created) VALUES (@id, @owner, @now);";

    private const string DeleteShare = "DELETE FROM library_shares WHERE library = @id AND owner = @owner;";

    private const string DeleteLibrary = "DELETE FROM libraries WHERE id = @id AND owner = @caller;";

    private const string CanRead = """
        SELECT EXISTS (
            SELECT 1 FROM assets a
             WHERE a.id = @asset AND a.state = 'ready'
               AND (a.owner = @caller
                    OR EXISTS (SELECT 1 FROM library_assets la JOIN libraries l ON l.id = la.library
                                WHERE la.asset = a.id AND
        """ + Visible + ")));";

    private const string LibrariesOfAssets = """
        SELECT la.asset, la.library FROM library_assets la JOIN libraries l ON l.id = la.library
          JOIN assets a ON a.id = la.asset AND a.state = 'ready'
         WHERE l.owner = @owner AND la.asset IN (SELECT value FROM json_each(@ids))
         ORDER BY l.seq;
        """;

    private const string OwnLibrariesNamed = """
        SELECT id FROM libraries WHERE owner = @owner AND (id = @name OR desc = @name) ORDER BY seq;
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Library?> CreateAsync(string owner, string desc, CancellationToken cancellationToken)
    {
        var id = Ids.New();
        var created = await db.QueryAsync(
            InsertLibrary, [("@id", id), ("@owner", owner), ("@desc", desc), ("@now", Now()), ("@max", LibraryLimits.MaxLibrariesPerOwner)], r => r.GetInt64(0), cancellationToken);
        return created is [var at] ? new Library(id, owner, desc, at, [], []) : null;
    }

    public async Task<IReadOnlyList<Library>> ListAsync(string caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await SqliteDatabase.QueryAsync(connection, ListVisible, [("@caller", caller)], ReadRow, cancellationToken);
        return await CompleteAsync(connection, rows, cancellationToken);
    }

    public async Task<Library?> GetAsync(string caller, string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await GetAsync(connection, caller, id, cancellationToken);
    }

    public Task<LibraryOutcome> AddAssetsAsync(string caller, string id, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken) =>
        ChangeAsync(caller, id, async (connection, ct) =>
        {
            var given = assetIds.Distinct(StringComparer.Ordinal).ToList();
            var own = (await SqliteDatabase.QueryAsync(connection, OwnLiveAssets, [("@owner", caller), ("@ids", Serialize(given))], r => r.GetString(0), ct))
                .ToHashSet(StringComparer.Ordinal);
            var found = given.Where(own.Contains).ToList();
            var count = await ScalarAsync(connection, CountLiveMembers, [("@id", id)], ct);
            var added = await ScalarAsync(connection, CountNewMembers, [("@id", id), ("@ids", Serialize(found))], ct);
            if (count + added > LibraryLimits.MaxAssetsPerLibrary)
            {
                return new LibraryOutcome.Full(LibraryLimits.MaxAssetsPerLibrary);
            }

            await SqliteDatabase.ExecuteAsync(connection, InsertMembers, [("@id", id), ("@ids", Serialize(found)), ("@now", Now())], ct);
            return given.Where(a => !own.Contains(a)).ToList();
        }, cancellationToken);

    public Task<LibraryOutcome> RemoveAssetsAsync(string caller, string id, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken) =>
        ChangeAsync(caller, id, async (connection, ct) =>
        {
            var given = assetIds.Distinct(StringComparer.Ordinal).ToList();
            var removed = (await SqliteDatabase.QueryAsync(connection, DeleteMembers, [("@id", id), ("@ids", Serialize(given))], r => r.GetString(0), ct))
                .ToHashSet(StringComparer.Ordinal);
            return given.Where(a => !removed.Contains(a)).ToList();
        }, cancellationToken);

    public async Task<LibraryOutcome> ShareAsync(string caller, string id, string owner, CancellationToken cancellationToken)
    {
        if (owner == caller)
        {
            // The owner always sees its library; there is nothing to share.
            return await ChangeAsync(caller, id, (_, _) => Task.FromResult<object>(Array.Empty<string>()), cancellationToken);
        }

        return await ChangeAsync(caller, id, async (connection, ct) =>
        {
            if (await ScalarAsync(connection, OwnerExists, [("@owner", owner)], ct) == 0)
            {
                return new LibraryOutcome.UnknownOwner();
            }

            if (await ScalarAsync(connection, CountShares, [("@id", id), ("@owner", owner)], ct) >= LibraryLimits.MaxSharesPerLibrary)
            {
                return new LibraryOutcome.Full(LibraryLimits.MaxSharesPerLibrary);
            }

            await SqliteDatabase.ExecuteAsync(connection, InsertShare, [("@id", id), ("@owner", owner), ("@now", Now())], ct);
            return Array.Empty<string>();
        }, cancellationToken);
    }

    public Task<LibraryOutcome> UnshareAsync(string caller, string id, string owner, CancellationToken cancellationToken) =>
        ChangeAsync(caller, id, async (connection, ct) =>
        {
            await SqliteDatabase.ExecuteAsync(connection, DeleteShare, [("@id", id), ("@owner", owner)], ct);
            return Array.Empty<string>();
        }, cancellationToken);

    public async Task<bool> DeleteAsync(string caller, string id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(DeleteLibrary, [("@id", id), ("@caller", caller)], cancellationToken) == 1;

    public async Task<bool> CanReadAsync(string caller, string assetId, CancellationToken cancellationToken) =>
        (await db.QueryAsync(CanRead, [("@asset", assetId), ("@caller", caller)], r => r.GetInt64(0), cancellationToken)) is [1];

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> LibrariesOfAsync(
        string owner, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync(
            LibrariesOfAssets, [("@owner", owner), ("@ids", Serialize(assetIds))], r => (Asset: r.GetString(0), Library: r.GetString(1)), cancellationToken);
        return rows.GroupBy(r => r.Asset, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Library).ToList(), StringComparer.Ordinal);
    }

    public async Task<LibraryJoin> JoinAsync(string owner, string assetId, IReadOnlyList<string> libraries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var connection = write.Connection;
        var names = libraries.Distinct(StringComparer.Ordinal).ToList();
        var live = await SqliteDatabase.QueryAsync(connection, OwnLiveAssets, [("@owner", owner), ("@ids", Serialize(new[] { assetId }))], r => r.GetString(0), cancellationToken);
        if (live.Count == 0)
        {
            return new LibraryJoin([], names);
        }

        var joined = new List<string>();
        var unmatched = new List<string>();
        foreach (var name in names)
        {
            var targets = await SqliteDatabase.QueryAsync(connection, OwnLibrariesNamed, [("@owner", owner), ("@name", name)], r => r.GetString(0), cancellationToken);
            if (targets.Count == 0 && !Ids.IsValid(name))
            {
                var id = Ids.New();
                var created = await SqliteDatabase.QueryAsync(
                    connection, InsertLibrary, [("@id", id), ("@owner", owner), ("@desc", name), ("@now", Now()), ("@max", LibraryLimits.MaxLibrariesPerOwner)], r => r.GetInt64(0), cancellationToken);
                targets = created.Count == 1 ? [id] : [];
            }

            var any = false;
            foreach (var library in targets)
            {
                if (await ScalarAsync(connection, CountLiveMembers, [("@id", library)], cancellationToken) < LibraryLimits.MaxAssetsPerLibrary)
                {
                    await SqliteDatabase.ExecuteAsync(connection, InsertMembers, [("@id", library), ("@ids", Serialize(new[] { assetId })), ("@now", Now())], cancellationToken);
                    joined.Add(library);
                    any = true;
                }
            }

            if (!any)
            {
                unmatched.Add(name);
            }
        }

        await write.CommitAsync(cancellationToken);
        return new LibraryJoin(joined.Distinct(StringComparer.Ordinal).ToList(), unmatched);
    }

    /// <summary>
    /// The frame of every change: in one IMMEDIATE transaction, find the library as the caller sees it, refuse
    /// unless the caller owns it, run <paramref name="change"/> (which returns the ids not acted on, or an
    /// outcome that ends the change with nothing committed), and read the library back.
    /// </summary>
    private async Task<LibraryOutcome> ChangeAsync(
        string caller, string id, Func<SqliteConnection, CancellationToken, Task<object>> change, CancellationToken cancellationToken)
    {
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var connection = write.Connection;
        var library = await GetAsync(connection, caller, id, cancellationToken);
        if (library is null)
        {
            return new LibraryOutcome.NotFound();
        }

        if (library.Owner != caller)
        {
            return new LibraryOutcome.NotOwner(library);
        }

        var result = await change(connection, cancellationToken);
        if (result is LibraryOutcome refused)
        {
            return refused;
        }

        var changed = await GetAsync(connection, caller, id, cancellationToken) ?? throw new InvalidOperationException("library vanished inside its own transaction");
        await write.CommitAsync(cancellationToken);
        return new LibraryOutcome.Changed(changed, (IReadOnlyList<string>)result);
    }

    private static async Task<Library?> GetAsync(SqliteConnection connection, string caller, string id, CancellationToken cancellationToken)
    {
        var rows = await SqliteDatabase.QueryAsync(connection, SelectVisible, [("@id", id), ("@caller", caller)], ReadRow, cancellationToken);
        return (await CompleteAsync(connection, rows, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Fills in the live assets and shares of the library rows, two statements for any number of libraries.</summary>
    private static async Task<IReadOnlyList<Library>> CompleteAsync(SqliteConnection connection, List<Library> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        var ids = Serialize(rows.Select(l => l.Id));
        var members = await SqliteDatabase.QueryAsync(connection, MembersOf, [("@ids", ids)], r => (Library: r.GetString(0), Value: r.GetString(1)), cancellationToken);
        var shares = await SqliteDatabase.QueryAsync(connection, SharesOf, [("@ids", ids)], r => (Library: r.GetString(0), Value: r.GetString(1)), cancellationToken);
        var assetsOf = members.ToLookup(m => m.Library, m => m.Value, StringComparer.Ordinal);
        var sharesOf = shares.ToLookup(s => s.Library, s => s.Value, StringComparer.Ordinal);
        return rows.Select(l => l with { Assets = assetsOf[l.Id].ToList(), SharedWith = sharesOf[l.Id].ToList() }).ToList();
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Serialize(IEnumerable<string> ids) => JsonSerializer.Serialize(ids, Json);

    private static Library ReadRow(SqliteDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetString(2), row.GetInt64(3), [], []);

    private static async Task<long> ScalarAsync(
        SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken) =>
        (await SqliteDatabase.QueryAsync(connection, sql, parameters, r => r.GetInt64(0), cancellationToken)).Single();
}
