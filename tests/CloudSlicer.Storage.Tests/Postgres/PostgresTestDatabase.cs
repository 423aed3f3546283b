using CloudSlicer.Storage.Postgres;
using CloudSlicer.Testing;
using Npgsql;

namespace CloudSlicer.Storage.Tests.Postgres;

/// <summary>
/// A fresh database on the shared PostgreSQL server for one test. Each <see cref="Open"/> is a
/// <see cref="PostgresDatabase"/> of its own (its own pool), as another process would have; all are closed
/// and the database dropped at the end.
/// </summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly List<PostgresDatabase> _opened = [];

    private PostgresTestDatabase(PostgresServer server, string connectionString)
    {
        _server = server;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = await PostgresServer.SharedAsync();
        return new PostgresTestDatabase(server, await server.CreateDatabaseAsync());
    }

    public PostgresDatabase Open()
    {
        var database = new PostgresDatabase(ConnectionString);
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database;
    }

    /// <summary>Closes every <see cref="PostgresDatabase"/> opened so far, as if their processes had exited.</summary>
    public async Task CloseAllAsync()
    {
        PostgresDatabase[] opened;
        lock (_opened)
        {
            opened = [.. _opened];
            _opened.Clear();
        }

        foreach (var database in opened)
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>Brings the schema up to date, as the first CloudSlicer process to open the database does.</summary>
    public async Task MigrateAsync()
    {
        await using var connection = await Open().OpenAsync(CancellationToken.None);
    }

    /// <summary>Runs <paramref name="sql"/> on a connection outside every pool: an operator's psql session.</summary>
    public async Task<object?> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAllAsync();
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var connection = new NpgsqlConnection(_server.AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
