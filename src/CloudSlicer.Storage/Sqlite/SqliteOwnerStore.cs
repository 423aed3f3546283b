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

    public async Task<OwnerCredentials> AddOwnerAsync(string? name, CancellationToken cancellationToken)
    {
        var owner = Ids.New();
        var secret = ApiKeySecrets.New();
        var now = Now();

        // Owner and first key commit together: an owner without a key could never sign a request.
        await using var write = await db.BeginWriteAsync(cancellationToken);
        var connection = write.Connection;
        await using (var insertOwner = SqliteDatabase.CreateCommand(
            connection, SqliteSql.InsertOwner, [("@id", owner), ("@name", name), ("@now", now)]))
        {
            await insertOwner.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insertKey = SqliteDatabase.CreateCommand(
            connection, SqliteSql.InsertKey, [("@key", secret), ("@owner", owner), ("@now", now)]))
        {
            await insertKey.ExecuteNonQueryAsync(cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
        return new OwnerCredentials(owner, secret);
    }

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
}
