using CloudSlicer.Core;
using CloudSlicer.Storage.Owners;

namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// Owners and their API keys on PostgreSQL. Keys are secrets: nothing here logs them. Enabled keys are cached
/// per owner (<see cref="PostgresKeyCache"/>); every key change, from any process, counts at the next read.
/// </summary>
public sealed class PostgresOwnerStore(PostgresDatabase db, TimeProvider clock) : IOwnerStore
{
    private readonly PostgresKeyCache _enabledKeys = new(db);

    // pg_advisory_xact_lock key serialising first-owner inserts across processes ('CSo1').
    private const long FirstOwnerLockKey = 0x43536F31;

    public async Task<OwnerCredentials> AddOwnerAsync(string? name, CancellationToken cancellationToken) =>
        await AddAsync(name, onlyFirst: false, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("an unconditional owner insert added nothing");

    public Task<OwnerCredentials?> AddFirstOwnerAsync(string? name, CancellationToken cancellationToken) =>
        AddAsync(name, onlyFirst: true, cancellationToken);

    public async Task<bool> AnyOwnerAsync(CancellationToken cancellationToken) =>
        (await db.QueryAsync(PostgresOwnerSql.AnyOwner, [], r => r.GetBoolean(0), cancellationToken).ConfigureAwait(false)) is [true];

    public Task<IReadOnlyList<string>> GetEnabledKeysAsync(string owner, CancellationToken cancellationToken) =>
        _enabledKeys.GetEnabledKeysAsync(owner, cancellationToken);

    public async Task<OwnerCredentials?> AddKeyAsync(string owner, CancellationToken cancellationToken)
    {
        var secret = ApiKeySecrets.New();
        var added = await db.ExecuteAsync(
            PostgresOwnerSql.InsertKey, [("key", secret), ("owner", owner), ("now", Now())], cancellationToken).ConfigureAwait(false);
        return added == 1 ? new OwnerCredentials(owner, secret) : null;
    }

    public async Task<IReadOnlyList<OwnerKey>> ListKeysAsync(string owner, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            PostgresOwnerSql.ListKeys, [("owner", owner)], r => new OwnerKey(r.GetString(0), r.GetInt32(1) != 0, r.GetInt64(2)), cancellationToken).ConfigureAwait(false);

    public async Task<bool> DisableKeyAsync(string owner, string key, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(PostgresOwnerSql.DisableKey, [("key", key), ("owner", owner)], cancellationToken).ConfigureAwait(false) == 1;

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    // Owner and first key commit together: an owner without a key could never sign a request.
    private async Task<OwnerCredentials?> AddAsync(string? name, bool onlyFirst, CancellationToken cancellationToken)
    {
        var owner = Ids.New();
        var secret = ApiKeySecrets.New();
        var now = Now();
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (onlyFirst)
        {
            await PostgresDatabase.ExecuteAsync(connection, PostgresOwnerSql.FirstOwnerLock, [("key", FirstOwnerLockKey)], cancellationToken).ConfigureAwait(false);
        }

        var added = await PostgresDatabase.ExecuteAsync(
            connection, onlyFirst ? PostgresOwnerSql.InsertFirstOwner : PostgresOwnerSql.InsertOwner, [("id", owner), ("name", name), ("now", now)], cancellationToken)
            .ConfigureAwait(false);
        if (added == 0)
        {
            return null;
        }

        await PostgresDatabase.ExecuteAsync(connection, PostgresOwnerSql.InsertKey, [("key", secret), ("owner", owner), ("now", now)], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new OwnerCredentials(owner, secret);
    }
}
