using CloudSlicer.Core;
using CloudSlicer.Storage.Owners;

namespace CloudSlicer.Storage.Sqlite;

/// <summary>
/// Owners and their API keys in the SQLite file. Keys are secrets: nothing here logs them. Enabled keys are
/// cached per owner (<see cref="SqliteKeyCache"/>); every key change, from any process, counts at the next read.
/// </summary>
public sealed class SqliteOwnerStore(SqliteDatabase db, TimeProvider clock) : IOwnerStore, IDisposable
{
    private readonly SqliteKeyCache _enabledKeys = new(db);

    public async Task<OwnerCredentials> AddOwnerAsync(string? name, CancellationToken cancellationToken) =>
        await AddAsync(name, onlyFirst: false, cancellationToken) ?? throw new InvalidOperationException("an unconditional owner insert added nothing");

    public Task<OwnerCredentials?> AddFirstOwnerAsync(string? name, CancellationToken cancellationToken) =>
        AddAsync(name, onlyFirst: true, cancellationToken);

    public async Task<bool> AnyOwnerAsync(CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync(SqliteSql.AnyOwner, [], r => r.GetBoolean(0), cancellationToken);
        return rows is [true];
    }

    public Task<IReadOnlyList<string>> GetEnabledKeysAsync(string owner, CancellationToken cancellationToken) =>
        _enabledKeys.GetEnabledKeysAsync(owner, cancellationToken);

    public async Task<OwnerCredentials?> AddKeyAsync(string owner, CancellationToken cancellationToken)
    {
        var secret = ApiKeySecrets.New();
        var added = await db.ExecuteAsync(
            SqliteSql.InsertKey, [("@key", secret), ("@owner", owner), ("@now", Now())], cancellationToken);
        return added == 1 ? new OwnerCredentials(owner, secret) : null;
    }

    public async Task<IReadOnlyList<OwnerKey>> ListKeysAsync(string owner, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            SqliteSql.ListKeys, [("@owner", owner)], r => new OwnerKey(r.GetString(0), r.GetBoolean(1), r.GetInt64(2)), cancellationToken);

    public async Task<bool> DisableKeyAsync(string owner, string key, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(SqliteSql.DisableKey, [("@key", key), ("@owner", owner)], cancellationToken) == 1;

    /// <summary>Closes the key cache's own connection (before the database's pool is cleared).</summary>
    public void Dispose() => _enabledKeys.Dispose();

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    // Owner and first key commit together: an owner without a key could never sign a request. The IMMEDIATE
    // transaction holds the file's write lock, so "no owner yet" cannot change under a first-owner insert.
    private async Task<OwnerCredentials?> AddAsync(string? name, bool onlyFirst, CancellationToken cancellationToken)
    {
        var owner = Ids.New();
        var secret = ApiKeySecrets.New();
        var now = Now();
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var added = await SqliteDatabase.ExecuteAsync(
            write.Connection, onlyFirst ? SqliteSql.InsertFirstOwner : SqliteSql.InsertOwner, [("@id", owner), ("@name", name), ("@now", now)], cancellationToken);
        if (added == 0)
        {
            return null;
        }

        await SqliteDatabase.ExecuteAsync(write.Connection, SqliteSql.InsertKey, [("@key", secret), ("@owner", owner), ("@now", now)], cancellationToken);
        await write.CommitAsync(cancellationToken);
        return new OwnerCredentials(owner, secret);
    }
}
