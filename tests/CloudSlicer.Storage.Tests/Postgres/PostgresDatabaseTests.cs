using CloudSlicer.Storage.Postgres;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests.Postgres;

/// <summary>Schema migrations on a real PostgreSQL server, and what <c>--db</c> accepts for it.</summary>
public sealed class PostgresDatabaseTests
{
    [Fact]
    public async Task First_open_applies_every_migration_once_even_when_processes_start_together()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync();

        // Four "processes" (data sources of their own) opening the same empty database at the same moment.
        var databases = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(connectionString)).ToList();
        try
        {
            await Task.WhenAll(databases.Select(async db => await (await db.OpenAsync(CancellationToken.None)).DisposeAsync()));

            var versions = await databases[0].QueryAsync("SELECT version FROM schema_migrations ORDER BY version", [], r => r.GetInt32(0), CancellationToken.None);
            Assert.Equal(Enumerable.Range(1, PostgresDatabase.SchemaVersion), versions);
            var tables = await databases[0].QueryAsync(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", [], r => r.GetString(0), CancellationToken.None);
            Assert.Contains("jobs", tables);
            Assert.Contains("assets", tables);
            Assert.Contains("notifications", tables);
        }
        finally
        {
            foreach (var db in databases)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Key_changes_move_the_key_version_in_the_same_transaction()
    {
        var server = await PostgresServer.SharedAsync();
        await using var db = new PostgresDatabase(await server.CreateDatabaseAsync());
        long Version(Npgsql.NpgsqlDataReader r) => r.GetInt64(0);

        var before = (await db.QueryAsync("SELECT version FROM key_version", [], Version, CancellationToken.None))[0];
        await db.ExecuteAsync("INSERT INTO owners (id, created) VALUES ('o1', 1)", [], CancellationToken.None);
        await db.ExecuteAsync("INSERT INTO api_keys (key, owner, created) VALUES ('k1', 'o1', 1)", [], CancellationToken.None);
        await db.ExecuteAsync("UPDATE api_keys SET enabled = 0 WHERE key = 'k1'", [], CancellationToken.None);
        await db.ExecuteAsync("DELETE FROM owners WHERE id = 'o1'", [], CancellationToken.None);   // cascades to the key

        Assert.Equal(before + 3, (await db.QueryAsync("SELECT version FROM key_version", [], Version, CancellationToken.None))[0]);
    }

    [Theory]
    [InlineData("postgresql://cs:s%40cret@db.example.net:6543/cloudslicer?sslmode=require",
        "Host=db.example.net;Port=6543;Database=cloudslicer;Username=cs;Password=s@cret;SSL Mode=Require")]
    [InlineData("postgres://cs@127.0.0.1/jobs", "Host=127.0.0.1;Port=5432;Database=jobs;Username=cs")]
    [InlineData("Host=db;Username=cs;Password=x;Database=cloudslicer", "Host=db;Username=cs;Password=x;Database=cloudslicer")]
    public void Db_accepts_a_uri_or_a_keyword_string(string db, string expected)
    {
        Assert.True(PostgresConnectionString.IsPostgres(db));
        var actual = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString.From(db));
        var wanted = new Npgsql.NpgsqlConnectionStringBuilder(expected);
        Assert.True(actual.EquivalentTo(wanted), $"{actual.ConnectionString} is not {wanted.ConnectionString}");
    }

    [Theory]
    [InlineData("postgresql://")]
    [InlineData("postgresql://cs:secret@db/x?bogus_option=1")]
    [InlineData("Host=db;Bogus Option=1")]
    public void A_malformed_db_is_refused_without_echoing_the_password(string db)
    {
        var error = Assert.Throws<FormatException>(() => PostgresConnectionString.From(db));
        Assert.StartsWith("--db ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sqlite_path_is_not_postgres() => Assert.False(PostgresConnectionString.IsPostgres("/var/lib/cloudslicer/cloudslicer.db"));
}
