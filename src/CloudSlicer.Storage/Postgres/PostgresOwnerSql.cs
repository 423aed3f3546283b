namespace CloudSlicer.Storage.Postgres;

/// <summary>The owner and API key statements of <see cref="PostgresOwnerStore"/>; as SqliteSql's, on PostgreSQL.</summary>
internal static class PostgresOwnerSql
{
    public const string AnyOwner = "SELECT EXISTS (SELECT 1 FROM owners)";

    public const string InsertOwner = "INSERT INTO owners (id, name, created) VALUES (@id, @name::text, @now)";

    // Under FirstOwnerLock: READ COMMITTED alone would let two transactions each see no owner and each insert one.
    public const string InsertFirstOwner = """
        INSERT INTO owners (id, name, created) SELECT @id, @name::text, @now WHERE NOT EXISTS (SELECT 1 FROM owners)
        """;

    public const string FirstOwnerLock = "SELECT pg_advisory_xact_lock(@key)";

    // Inserts nothing when the owner is unknown, so "unknown owner" needs no separate read.
    public const string InsertKey = """
        INSERT INTO api_keys (key, owner, enabled, created)
        SELECT @key, id, 1, @now FROM owners WHERE id = @owner
        """;

    public const string ListKeys = "SELECT key, enabled, created FROM api_keys WHERE owner = @owner ORDER BY created, key";

    public const string DisableKey = "UPDATE api_keys SET enabled = 0 WHERE key = @key AND owner = @owner AND enabled = 1";

    // One statement, so one snapshot: the version and the keys are exactly as some commit left them (the
    // trigger bumps the version in the key change's own transaction). No key at all still yields the version.
    public const string VersionAndEnabledKeys = """
        SELECT v.version, k.key
          FROM key_version v
          LEFT JOIN api_keys k ON k.owner = @owner AND k.enabled = 1
         WHERE v.id = 1
         ORDER BY k.created, k.key
        """;

    public const string KeyVersion = "SELECT version FROM key_version WHERE id = 1";
}
