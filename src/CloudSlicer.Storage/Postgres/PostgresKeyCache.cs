namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// Each owner's enabled API keys, served from memory while PostgreSQL's <c>key_version</c> stands still. Every
/// api2 call asks for them; on a shared database any process (another API node, the CLI, an operator's psql)
/// may change a key, so each call reads the one-row version first, one cheap indexed statement, and drops
/// every cached key when it moved. A disabled key therefore stops working at the next call, on every node.
/// A miss reads the version and the owner's keys in one statement, so the keys are filed under the very
/// version they belong to.
/// </summary>
internal sealed class PostgresKeyCache(PostgresDatabase db)
{
    // Only owners that have enabled keys are kept (owners come from the CLI, not from callers), so this bound is
    // a backstop, not an eviction policy: past it the cache starts over.
    private const int MaxOwners = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string[]> _keys = new(StringComparer.Ordinal);
    private long _version = -1;

    public async Task<IReadOnlyList<string>> GetEnabledKeysAsync(string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);

        bool known;
        lock (_gate)
        {
            known = _keys.ContainsKey(owner);
        }

        // A hit costs the version alone; a miss goes straight to the statement that reads both.
        if (known)
        {
            var version = (await db.QueryAsync(PostgresOwnerSql.KeyVersion, [], r => r.GetInt64(0), cancellationToken).ConfigureAwait(false)).Single();
            lock (_gate)
            {
                Advance(version);
                if (_keys.TryGetValue(owner, out var cached))
                {
                    return cached;
                }
            }
        }

        var rows = await db.QueryAsync(
            PostgresOwnerSql.VersionAndEnabledKeys,
            [("owner", owner)],
            r => (Version: r.GetInt64(0), Key: r.IsDBNull(1) ? null : r.GetString(1)),
            cancellationToken).ConfigureAwait(false);
        var keys = rows.Where(r => r.Key is not null).Select(r => r.Key!).ToArray();
        var seen = rows[0].Version;
        lock (_gate)
        {
            Advance(seen);

            // Filed only under the version they were read at: keys read before a change that a concurrent call has
            // already seen must not outlive it. An unknown owner is never cached: callers choose the owner id, so
            // they must not be able to grow this.
            if (seen == _version && keys.Length > 0)
            {
                if (_keys.Count >= MaxOwners)
                {
                    _keys.Clear();
                }

                _keys[owner] = keys;
            }
        }

        return keys;
    }

    // The version only ever grows (the trigger adds one), so an older reading than the cache's is simply older
    // news: the cache is at least that fresh.
    private void Advance(long version)
    {
        if (version > _version)
        {
            _keys.Clear();
            _version = version;
        }
    }
}
