using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace CloudSlicer.Storage.Sqlite;

/// <summary>
/// One SQLite database file. Each operation opens its own pooled connection, so any number of tasks may
/// use it at once; SQLite serialises the writers (WAL, 5 s busy timeout). The first open creates the
/// file's directory and brings the schema up to date from the embedded Migrations/NNNN_*.sql scripts.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private const string MigrationPrefix = "CloudSlicer.Storage.Sqlite.Migrations.";

    private static readonly object Configured = new();

    private readonly string _connectionString;

    // Native connections whose per-connection pragmas have run; weak, so a handle the pool closes is forgotten.
    private readonly ConditionalWeakTable<object, object> _configured = [];
    private readonly SemaphoreSlim _schemaGate = new(1, 1);

    // This process's writers, one at a time in arrival order. SQLite lets one connection write at a time anyway,
    // but a writer that finds the lock taken is parked by the busy handler, which sleeps and retries in growing
    // steps (up to 100 ms a step): under concurrent writes a few unlucky writers waited far longer than the lock
    // was ever held (the p99 of jobs/create). Queued here, the lock passes to the next writer the moment it is
    // free. Writers in other processes (the CLI, a second process on the file) still meet the busy handler.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile bool _schemaReady;

    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy database for this long on top of busy_timeout; keep
            // both at 5 s so a stuck writer surfaces as an error rather than a minute-long hang.
            DefaultTimeout = 5,
        }.ToString();
    }

    /// <summary>The absolute path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>The schema version this build knows (the highest embedded migration).</summary>
    public static int SchemaVersion => Migrations().Max(m => m.Version);

    /// <summary>Opens a connection with the per-connection settings applied. The caller disposes it.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_schemaReady)
        {
            await EnsureSchemaAsync(cancellationToken);
        }

        return await OpenRawAsync(cancellationToken);
    }

    /// <summary>Runs one statement and reads every row it returns; the statement has committed on return.</summary>
    public async Task<List<T>> QueryAsync<T>(
        string sql, IReadOnlyList<(string Name, object? Value)> parameters, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        using var writer = IsRead(sql) ? null : await EnterWriterAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, sql, parameters, read, cancellationToken);
    }

    /// <summary>Runs one statement and returns the number of rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        using var writer = await EnterWriterAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, sql, parameters, cancellationToken);
    }

    /// <summary>
    /// Opens a connection and begins an IMMEDIATE transaction (the write lock taken up front) as this process's
    /// only writer until the returned write is disposed. Statements inside run on <see cref="SqliteWrite.Connection"/>
    /// with the static helpers; never call this database's own QueryAsync/ExecuteAsync inside (they would wait for
    /// the write to end).
    /// </summary>
    public async Task<SqliteWrite> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var writer = await EnterWriterAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);
            return new SqliteWrite(connection, connection.BeginTransaction(deferred: false), writer);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            writer.Dispose();
            throw;
        }
    }

    /// <summary>Runs one statement on an open connection (inside the caller's transaction) and reads every row it returns.</summary>
    public static async Task<List<T>> QueryAsync<T>(
        SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var command = CreateCommand(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Runs one statement on an open connection (inside the caller's transaction); the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(
        SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Builds a command; null values become SQL NULL.</summary>
    public static SqliteCommand CreateCommand(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parameters);
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Every caller passes a constant from SqliteSql; values travel as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private async Task<IDisposable> EnterWriterAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        return new WriterTurn(_writeGate);
    }

    // Reads need no turn: WAL lets them run beside the writer. Anything else is treated as a write.
    private static bool IsRead(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        return text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Returns pooled connections, releasing the file (for tests that delete it, and at shutdown).</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _schemaGate.Dispose();
        _writeGate.Dispose();
    }

    private sealed class WriterTurn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // The pragmas are properties of the native connection, which the pool hands out again and again:
            // they are set once per native handle, not on every open (two opens per api2 call add up).
            if (connection.Handle is { } handle && !_configured.TryGetValue(handle, out _))
            {
                await using var pragmas = CreateCommand(connection, SqliteSql.ConnectionPragmas, []);
                await pragmas.ExecuteNonQueryAsync(cancellationToken);
                _configured.AddOrUpdate(handle, Configured);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            var directory = Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(directory))
            {
                PrivateFiles.CreateDirectory(directory);
            }

            PrivateFiles.SecureDatabase(FilePath);
            await using var connection = await OpenRawAsync(cancellationToken);
            await using (var wal = CreateCommand(connection, SqliteSql.EnableWal, []))
            {
                await wal.ExecuteScalarAsync(cancellationToken);
            }

            foreach (var (version, resource) in Migrations().OrderBy(m => m.Version))
            {
                await ApplyAsync(connection, version, resource, cancellationToken);
            }

            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    // Each migration runs in its own IMMEDIATE transaction and re-reads user_version inside it, so two
    // processes starting on the same file at once apply it exactly once.
    private async Task ApplyAsync(SqliteConnection connection, int version, string resource, CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction(deferred: false);
        var current = await UserVersionAsync(connection, cancellationToken);
        if (current > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The database {FilePath} has schema version {current}, newer than this CloudSlicer knows ({SchemaVersion}); upgrade CloudSlicer.");
        }

        if (current >= version)
        {
            return;
        }

        await using (var script = CreateCommand(connection, ReadResource(resource), []))
        {
            await script.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var stamp = CreateCommand(connection, SqliteSql.SetUserVersion(version), []))
        {
            await stamp.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<int> UserVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, SqliteSql.GetUserVersion, []);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static IEnumerable<(int Version, string Resource)> Migrations() =>
        typeof(SqliteDatabase).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(MigrationPrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (int.Parse(name.AsSpan(MigrationPrefix.Length, 4), CultureInfo.InvariantCulture), name));

    private static string ReadResource(string name)
    {
        using var stream = typeof(SqliteDatabase).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded migration {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
