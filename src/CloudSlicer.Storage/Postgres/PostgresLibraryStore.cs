using CloudSlicer.Core;
using CloudSlicer.Storage.Libraries;
using Npgsql;

namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// Libraries on PostgreSQL. Every change is one transaction that locks the library's row, checks the caller
/// owns it, changes it and reads it back, so the answer is the library as that change left it and a limit
/// checked inside holds against other processes changing it at the same moment.
/// </summary>
public sealed class PostgresLibraryStore(PostgresDatabase db, TimeProvider clock) : ILibraryStore
{
    public async Task<Library?> CreateAsync(string owner, string desc, CancellationToken cancellationToken)
    {
        var id = Ids.New();
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var created = await InsertAsync(connection, id, owner, desc, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created is { } at ? new Library(id, owner, desc, at, [], []) : null;
    }

    public async Task<IReadOnlyList<Library>> ListAsync(string caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ReadTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
        var rows = await PostgresDatabase.QueryAsync(connection, PostgresLibrarySql.ListVisible, [("caller", caller)], ReadRow, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(connection, rows, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Library?> GetAsync(string caller, string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await ReadTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
        return await GetAsync(connection, caller, id, cancellationToken).ConfigureAwait(false);
    }

    public Task<LibraryOutcome> AddAssetsAsync(string caller, string id, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken) =>
        ChangeAsync(caller, id, async (connection, ct) =>
        {
            var given = assetIds.Distinct(StringComparer.Ordinal).ToArray();
            var own = (await PostgresDatabase.QueryAsync(connection, PostgresLibrarySql.OwnLiveAssets, [("owner", caller), ("ids", given)], r => r.GetString(0), ct).ConfigureAwait(false))
                .ToHashSet(StringComparer.Ordinal);
            var found = given.Where(own.Contains).ToArray();
            var count = await ScalarAsync(connection, PostgresLibrarySql.CountLiveMembers, [("id", id)], ct).ConfigureAwait(false);
            var added = await ScalarAsync(connection, PostgresLibrarySql.CountNewMembers, [("id", id), ("ids", found)], ct).ConfigureAwait(false);
            if (count + added > LibraryLimits.MaxAssetsPerLibrary)
            {
                return new LibraryOutcome.Full(LibraryLimits.MaxAssetsPerLibrary);
            }

            await PostgresDatabase.ExecuteAsync(connection, PostgresLibrarySql.InsertMembers, [("id", id), ("ids", found), ("now", Now())], ct).ConfigureAwait(false);
            return given.Where(a => !own.Contains(a)).ToList();
        }, cancellationToken);

    public Task<LibraryOutcome> RemoveAssetsAsync(string caller, string id, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken) =>
        ChangeAsync(caller, id, async (connection, ct) =>
        {
            var given = assetIds.Distinct(StringComparer.Ordinal).ToArray();
            var removed = (await PostgresDatabase.QueryAsync(connection, PostgresLibrarySql.DeleteMembers, [("id", id), ("ids", given)], r => r.GetString(0), ct).ConfigureAwait(false))
                .ToHashSet(StringComparer.Ordinal);
            return given.Where(a => !removed.Contains(a)).ToList();
        }, cancellationToken);

    public async Task<LibraryOutcome> ShareAsync(string caller, string id, string owner, CancellationToken cancellationToken)
    {
        if (owner == caller)
        {
            // The owner always sees its library; there is nothing to share.
            return await ChangeAsync(caller, id, (_, _) => Task.FromResult<object>(Array.Empty<string>()), cancellationToken).ConfigureAwait(false);
        }

        return await ChangeAsync(caller, id, async (connection, ct) =>
        {
            if (!(await PostgresDatabase.QueryAsync(connection, PostgresLibrarySql.OwnerExists, [("owner", owner)], r => r.GetBoolean(0), ct).ConfigureAwait(false)).Single())
            {
                return new LibraryOutcome.UnknownOwner();
            }

            if (await ScalarAsync(connection, PostgresLibrarySql.CountShares, [("id", id), ("owner", owner)], ct).ConfigureAwait(false) >= LibraryLimits.MaxSharesPerLibrary)
            {
                return new LibraryOutcome.Full(LibraryLimits.MaxSharesPerLibrary);
            }

            await PostgresDatabase.ExecuteAsync(connection, PostgresLibrarySql.InsertShare, [("id", id), ("owner", owner), ("now", Now())], ct).ConfigureAwait(false);
            return Array.Empty<string>();
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<LibraryOutcome> UnshareAsync(string caller, string id, string owner, CancellationToken cancellationToken) =>
        ChangeAsync(caller, id, async (connection, ct) =>
        {
            await PostgresDatabase.ExecuteAsync(connection, PostgresLibrarySql.DeleteShare, [("id", id), ("owner", owner)], ct).ConfigureAwait(false);
            return Array.Empty<string>();
        }, cancellationToken);

    public async Task<bool> DeleteAsync(string caller, string id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(PostgresLibrarySql.Delete, [("id", id), ("caller", caller)], cancellationToken).ConfigureAwait(false) == 1;

    public async Task<bool> CanReadAsync(string caller, string assetId, CancellationToken cancellationToken) =>
        (await db.QueryAsync(PostgresLibrarySql.CanRead, [("asset", assetId), ("caller", caller)], r => r.GetBoolean(0), cancellationToken).ConfigureAwait(false)) is [true];

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> LibrariesOfAsync(
        string owner, IReadOnlyCollection<string> assetIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assetIds);
        var rows = await db.QueryAsync(
            PostgresLibrarySql.LibrariesOfAssets, [("owner", owner), ("ids", assetIds.ToArray())], r => (Asset: r.GetString(0), Library: r.GetString(1)), cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => r.Asset, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.Library).ToList(), StringComparer.Ordinal);
    }

    public async Task<LibraryJoin> JoinAsync(string owner, string assetId, IReadOnlyList<string> libraries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var names = libraries.Distinct(StringComparer.Ordinal).ToList();
        var live = await PostgresDatabase.QueryAsync(connection, PostgresLibrarySql.OwnLiveAssets, [("owner", owner), ("ids", new[] { assetId })], r => r.GetString(0), cancellationToken).ConfigureAwait(false);
        if (live.Count == 0)
        {
            return new LibraryJoin([], names);
        }

        // One joiner per owner at a time: a desc that names no library creates one, and two slicers finishing
        // jobs with the same new desc must not create two.
        await PostgresDatabase.ExecuteAsync(connection, PostgresLibrarySql.LockOwnerLibraries, [("owner", owner)], cancellationToken).ConfigureAwait(false);
        var joined = new List<string>();
        var unmatched = new List<string>();
        foreach (var name in names)
        {
            var targets = await PostgresDatabase.QueryAsync(connection, PostgresLibrarySql.OwnLibrariesNamed, [("owner", owner), ("name", name)], r => r.GetString(0), cancellationToken).ConfigureAwait(false);
            if (targets.Count == 0 && !Ids.IsValid(name))
            {
                var id = Ids.New();
                targets = await InsertAsync(connection, id, owner, name, cancellationToken).ConfigureAwait(false) is null ? [] : [id];
            }

            var any = false;
            foreach (var library in targets)
            {
                await PostgresDatabase.ExecuteAsync(connection, PostgresLibrarySql.LockLibrary, [("id", library)], cancellationToken).ConfigureAwait(false);
                if (await ScalarAsync(connection, PostgresLibrarySql.CountLiveMembers, [("id", library)], cancellationToken).ConfigureAwait(false) < LibraryLimits.MaxAssetsPerLibrary)
                {
                    await PostgresDatabase.ExecuteAsync(
                        connection, PostgresLibrarySql.InsertMembers, [("id", library), ("ids", new[] { assetId }), ("now", Now())], cancellationToken).ConfigureAwait(false);
                    joined.Add(library);
                    any = true;
                }
            }

            if (!any)
            {
                unmatched.Add(name);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LibraryJoin(joined.Distinct(StringComparer.Ordinal).ToList(), unmatched);
    }

    /// <summary>
    /// The frame of every change: in one transaction, lock the library, find it as the caller sees it, refuse
    /// unless the caller owns it, run <paramref name="change"/> (which returns the ids not acted on, or an
    /// outcome that ends the change with nothing committed), and read the library back.
    /// </summary>
    private async Task<LibraryOutcome> ChangeAsync(
        string caller, string id, Func<NpgsqlConnection, CancellationToken, Task<object>> change, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await PostgresDatabase.ExecuteAsync(connection, PostgresLibrarySql.LockLibrary, [("id", id)], cancellationToken).ConfigureAwait(false);
        var library = await GetAsync(connection, caller, id, cancellationToken).ConfigureAwait(false);
        if (library is null)
        {
            return new LibraryOutcome.NotFound();
        }

        if (library.Owner != caller)
        {
            return new LibraryOutcome.NotOwner(library);
        }

        var result = await change(connection, cancellationToken).ConfigureAwait(false);
        if (result is LibraryOutcome refused)
        {
            return refused;
        }

        var changed = await GetAsync(connection, caller, id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("library vanished inside its own transaction");
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LibraryOutcome.Changed(changed, (IReadOnlyList<string>)result);
    }

    // The library rows and their members and shares are read in one snapshot, as SQLite's single reader sees them.
    private static Task<NpgsqlTransaction> ReadTransactionAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).AsTask();

    private async Task<long?> InsertAsync(NpgsqlConnection connection, string id, string owner, string desc, CancellationToken cancellationToken)
    {
        await PostgresDatabase.ExecuteAsync(connection, PostgresLibrarySql.LockOwnerLibraries, [("owner", owner)], cancellationToken).ConfigureAwait(false);
        var created = await PostgresDatabase.QueryAsync(
            connection,
            PostgresLibrarySql.Insert,
            [("id", id), ("owner", owner), ("desc", desc), ("now", Now()), ("max", LibraryLimits.MaxLibrariesPerOwner)],
            r => r.GetInt64(0),
            cancellationToken).ConfigureAwait(false);
        return created is [var at] ? at : null;
    }

    private static async Task<Library?> GetAsync(NpgsqlConnection connection, string caller, string id, CancellationToken cancellationToken)
    {
        var rows = await PostgresDatabase.QueryAsync(connection, PostgresLibrarySql.SelectVisible, [("id", id), ("caller", caller)], ReadRow, cancellationToken).ConfigureAwait(false);
        return (await CompleteAsync(connection, rows, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Fills in the live assets and shares of the library rows, two statements for any number of libraries.</summary>
    private static async Task<IReadOnlyList<Library>> CompleteAsync(NpgsqlConnection connection, List<Library> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        var ids = rows.Select(l => l.Id).ToArray();
        var members = await PostgresDatabase.QueryAsync(connection, PostgresLibrarySql.MembersOf, [("ids", ids)], r => (Library: r.GetString(0), Value: r.GetString(1)), cancellationToken).ConfigureAwait(false);
        var shares = await PostgresDatabase.QueryAsync(connection, PostgresLibrarySql.SharesOf, [("ids", ids)], r => (Library: r.GetString(0), Value: r.GetString(1)), cancellationToken).ConfigureAwait(false);
        var assetsOf = members.ToLookup(m => m.Library, m => m.Value, StringComparer.Ordinal);
        var sharesOf = shares.ToLookup(s => s.Library, s => s.Value, StringComparer.Ordinal);
        return rows.Select(l => l with { Assets = assetsOf[l.Id].ToList(), SharedWith = sharesOf[l.Id].ToList() }).ToList();
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static Library ReadRow(NpgsqlDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetString(2), row.GetInt64(3), [], []);

    private static async Task<long> ScalarAsync(
        NpgsqlConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken) =>
        (await PostgresDatabase.QueryAsync(connection, sql, parameters, r => r.GetInt64(0), cancellationToken).ConfigureAwait(false)).Single();
}
