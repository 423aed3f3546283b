using System.Globalization;
using Npgsql;

namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// One PostgreSQL database shared by every CloudSlicer process of a deployment (API nodes and slicer machines).
/// Connections come from Npgsql's pool; the first open in a process brings the schema up to date from the
/// embedded Migrations/NNNN_*.sql scripts, under an advisory lock so processes starting together apply each
/// script exactly once. Statements take parameters as (name, value) pairs written <c>@name</c> in the SQL, as
/// the SQLite stores do.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    private const string MigrationPrefix = "CloudSlicer.Storage.Postgres.Migrations.";

    // pg_advisory_xact_lock key for migrations: any constant every CloudSlicer agrees on ('CSmg').
    private const long MigrationLockKey = 0x43536D67;

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    /// <param name="connectionString">An Npgsql keyword string; see <see cref="PostgresConnectionString.From"/> for URIs.</param>
    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        ConnectionString = builder.ConnectionString;
        DatabaseName = builder.Database ?? builder.Username ?? "";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The connection string (with its password, if any: never log it).</summary>
    public string ConnectionString { get; }

    /// <summary>The database's name, for messages.</summary>
    public string DatabaseName { get; }

    /// <summary>The schema version this build knows (the highest embedded migration).</summary>
    public static int SchemaVersion => Migrations().Max(m => m.Version);

    /// <summary>Opens a pooled connection on an up-to-date schema. The caller disposes it.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_schemaReady)
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one statement and reads every row it returns; the statement has committed on return.</summary>
    public async Task<List<T>> QueryAsync<T>(
        string sql, IReadOnlyList<(string Name, object? Value)> parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, sql, parameters, read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one statement and returns the number of rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, sql, parameters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one statement on an open connection (inside the caller's transaction, if any) and reads every row it returns.</summary>
    public static async Task<List<T>> QueryAsync<T>(
        NpgsqlConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var command = CreateCommand(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Runs one statement on an open connection (inside the caller's transaction, if any); the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(
        NpgsqlConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds a command; null values become SQL NULL. Parameter names may be given with or without '@'.</summary>
    public static NpgsqlCommand CreateCommand(NpgsqlConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parameters);
#pragma warning disable CA2100 // Every caller passes a constant SQL text; values travel as parameters.
        var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name.TrimStart('@'), value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Closes the pool's idle connections (after the server was lost); connections in use are left alone.</summary>
    public void ForgetIdleConnections() => _dataSource.Clear();

    public ValueTask DisposeAsync()
    {
        _schemaGate.Dispose();
        return _dataSource.DisposeAsync();
    }

    public void Dispose()
    {
        _schemaGate.Dispose();
        _dataSource.Dispose();
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    // One transaction for every pending script: PostgreSQL's DDL is transactional, so a process that dies half
    // way leaves the schema as it was. The transaction-scoped advisory lock makes a second process starting at the
    // same moment wait here and then find the versions already recorded.
    private async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", [("key", MigrationLockKey)], cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, PostgresSchemaSql.CreateVersionTable, [], cancellationToken).ConfigureAwait(false);
        var current = (await QueryAsync(connection, PostgresSchemaSql.CurrentVersion, [], r => r.GetInt32(0), cancellationToken).ConfigureAwait(false))[0];
        if (current > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL database '{DatabaseName}' has schema version {current}, newer than this CloudSlicer knows ({SchemaVersion}); upgrade CloudSlicer.");
        }

        foreach (var (version, resource) in Migrations().Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            await ExecuteAsync(connection, ReadResource(resource), [], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, PostgresSchemaSql.RecordVersion, [("version", version)], cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<(int Version, string Resource)> Migrations() =>
        typeof(PostgresDatabase).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(MigrationPrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (int.Parse(name.AsSpan(MigrationPrefix.Length, 4), CultureInfo.InvariantCulture), name));

    private static string ReadResource(string name)
    {
        using var stream = typeof(PostgresDatabase).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded migration {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
