namespace CloudSlicer.Storage.Postgres;

/// <summary>The statements that keep the schema's version; the schema itself is in Migrations/*.sql.</summary>
internal static class PostgresSchemaSql
{
    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            applied TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """;

    public const string CurrentVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

    public const string RecordVersion = "INSERT INTO schema_migrations (version) VALUES (@version)";
}
