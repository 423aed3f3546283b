using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CloudSlicer.Storage.Sqlite;

/// <summary>
/// Each owner's enabled API keys, read once and then served from memory: every api2 call asks for them, and a
/// second SQLite statement per call cost a fifth of jobs/get's throughput. A key change anywhere (this process,
/// the CLI in another, a hand edit) counts at the very next read, with no query in the common case:
/// <list type="bullet">
/// <item><c>key_version</c> (migration 0004) is bumped by triggers in the same transaction as any key insert,
/// update or delete; the cache holds keys read at or after the version it last saw.</item>
/// <item><c>PRAGMA data_version</c> on a connection of our own changes whenever any other connection, in any
/// process, has committed since this connection last asked. The connection never writes, so "unchanged" proves
/// nothing at all was committed, and the version need not be read. It costs no table read and no statement
/// preparation; when it has moved (any commit, e.g. a new job), the one-row version is read.</item>
/// </list>
/// A PostgreSQL store would read <c>key_version</c> per call or listen for its change; the triggers carry over.
/// </summary>
internal sealed class SqliteKeyCache(SqliteDatabase db) : IDisposable
{
    private const string DataVersion = "PRAGMA data_version;";
    private const string KeyVersion = "SELECT version FROM key_version WHERE id = 1;";

    // Only owners that have enabled keys are kept (owners come from the CLI, not from callers), so this bound is
    // a backstop, not an eviction policy: past it the cache starts over.
    private const int MaxOwners = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string[]> _keys = new(StringComparer.Ordinal);
    private Reader? _reader;
    private long _dataVersion = -1;
    private long _keyVersion = -1;
    private bool _disposed;

    public async Task<IReadOnlyList<string>> GetEnabledKeysAsync(string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);

        while (true)
        {
            // The connection is opened (and the schema brought up to date) outside the lock, the only await here.
            var reader = Volatile.Read(ref _reader) ?? await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            if (TryRead(reader, owner) is { } keys)
            {
                return keys;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            if (_reader is { } reader)
            {
                Forget(reader);
            }
        }
    }

    // Synchronous under the lock: Microsoft.Data.Sqlite's async calls run synchronously anyway, and these take
    // microseconds. One reader at a time also keeps the version checks and the cache in step.
    // Null when another call has just dropped that reader after a failure; the caller then opens a new one.
    private string[]? TryRead(Reader reader, string owner)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!ReferenceEquals(reader, _reader))
            {
                return null;
            }

            try
            {
                return ReadLocked(reader, owner);
            }
            catch
            {
                // A failed statement leaves nothing to trust: the next call starts on a fresh connection.
                Forget(reader);
                throw;
            }
        }
    }

    private string[] ReadLocked(Reader reader, string owner)
    {
        // Version first, keys second: the keys are then at least as new as the version they are filed under.
        var dataVersion = reader.Scalar(reader.DataVersion);
        if (dataVersion != _dataVersion)
        {
            var keyVersion = reader.Scalar(reader.KeyVersion);
            if (keyVersion != _keyVersion)
            {
                _keys.Clear();
                _keyVersion = keyVersion;
            }

            _dataVersion = dataVersion;
        }

        if (_keys.TryGetValue(owner, out var cached))
        {
            return cached;
        }

        var keys = reader.EnabledKeys(owner);
        if (keys.Length > 0)
        {
            // An unknown owner is never cached: callers choose the owner id, so they must not be able to grow this.
            if (_keys.Count >= MaxOwners)
            {
                _keys.Clear();
            }

            _keys[owner] = keys;
        }

        return keys;
    }

    private async Task<Reader> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_disposed || _reader is not null)
            {
                connection.Dispose();
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _reader!;
            }

            _reader = new Reader(connection);
            return _reader;
        }
    }

    private void Forget(Reader reader)
    {
        if (ReferenceEquals(_reader, reader))
        {
            _reader = null;
        }

        // data_version values compare only on the connection that gave them.
        _dataVersion = -1;
        _keyVersion = -1;
        _keys.Clear();
        reader.Dispose();
    }

    /// <summary>The cache's own connection and its three statements, prepared once and reused.</summary>
    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _enabledKeys;
        private readonly SqliteParameter _owner;

        public Reader(SqliteConnection connection)
        {
            _connection = connection;
            DataVersion = SqliteDatabase.CreateCommand(connection, SqliteKeyCache.DataVersion, []);
            KeyVersion = SqliteDatabase.CreateCommand(connection, SqliteKeyCache.KeyVersion, []);
            _enabledKeys = SqliteDatabase.CreateCommand(connection, SqliteSql.EnabledKeys, [("@owner", "")]);
            _owner = _enabledKeys.Parameters["@owner"];
        }

        public SqliteCommand DataVersion { get; }

        public SqliteCommand KeyVersion { get; }

        public long Scalar(SqliteCommand command) =>
            Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);

        public string[] EnabledKeys(string owner)
        {
            _owner.Value = owner;
            using var rows = _enabledKeys.ExecuteReader();
            var keys = new List<string>(2);
            while (rows.Read())
            {
                keys.Add(rows.GetString(0));
            }

            return [.. keys];
        }

        public void Dispose()
        {
            DataVersion.Dispose();
            KeyVersion.Dispose();
            _enabledKeys.Dispose();
            _connection.Dispose();
        }
    }
}
