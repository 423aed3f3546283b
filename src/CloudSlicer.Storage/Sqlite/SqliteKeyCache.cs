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
/// The cache is split into a few independent slots, each with its own connection, lock, versions and copy of
/// the keys: with one lock, concurrent api2 calls queued behind each other's version check and the spinning
/// cost more than the check. A call takes the first free slot, starting from one picked by its thread.
/// </summary>
internal sealed class SqliteKeyCache(SqliteDatabase db) : IDisposable
{
    private const string DataVersion = "PRAGMA data_version;";
    private const string KeyVersion = "SELECT version FROM key_version WHERE id = 1;";

    // Only owners that have enabled keys are kept (owners come from the CLI, not from callers), so this bound is
    // a backstop, not an eviction policy: past it the slot starts over.
    private const int MaxOwners = 100_000;

    private readonly Slot[] _slots = [.. Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 2, 8)).Select(_ => new Slot())];
    private volatile bool _disposed;

    public async Task<IReadOnlyList<string>> GetEnabledKeysAsync(string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var first = (int)((uint)Environment.CurrentManagedThreadId % (uint)_slots.Length);
        while (true)
        {
            var slot = FreeSlot(first);
            // The connection is opened (and the schema brought up to date) outside the lock, the only await here.
            var reader = Volatile.Read(ref slot.Reader) ?? await OpenReaderAsync(slot, cancellationToken).ConfigureAwait(false);
            if (TryRead(slot, reader, owner) is { } keys)
            {
                return keys;
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var slot in _slots)
        {
            lock (slot.Gate)
            {
                if (slot.Reader is { } reader)
                {
                    slot.Forget(reader);
                }
            }
        }
    }

    // A slot nobody holds right now, if any; otherwise the thread's own, to wait for.
    private Slot FreeSlot(int first)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[(first + i) % _slots.Length];
            if (!slot.Gate.IsHeldByCurrentThread && slot.Gate.TryEnter())
            {
                slot.Gate.Exit();
                return slot;
            }
        }

        return _slots[first];
    }

    // Synchronous under the slot's lock: Microsoft.Data.Sqlite's async calls run synchronously anyway, and these
    // take microseconds. One reader per slot at a time keeps its version checks and its keys in step.
    // Null when another call has just dropped that reader after a failure; the caller then opens a new one.
    private string[]? TryRead(Slot slot, Reader reader, string owner)
    {
        lock (slot.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!ReferenceEquals(reader, slot.Reader))
            {
                return null;
            }

            try
            {
                return ReadLocked(slot, reader, owner);
            }
            catch
            {
                // A failed statement leaves nothing to trust: the next call starts on a fresh connection.
                slot.Forget(reader);
                throw;
            }
        }
    }

    private static string[] ReadLocked(Slot slot, Reader reader, string owner)
    {
        // Version first, keys second: the keys are then at least as new as the version they are filed under.
        var dataVersion = reader.Scalar(reader.DataVersion);
        if (dataVersion != slot.DataVersion)
        {
            var keyVersion = reader.Scalar(reader.KeyVersion);
            if (keyVersion != slot.KeyVersion)
            {
                slot.Keys.Clear();
                slot.KeyVersion = keyVersion;
            }

            slot.DataVersion = dataVersion;
        }

        if (slot.Keys.TryGetValue(owner, out var cached))
        {
            return cached;
        }

        var keys = reader.EnabledKeys(owner);
        if (keys.Length > 0)
        {
            // An unknown owner is never cached: callers choose the owner id, so they must not be able to grow this.
            if (slot.Keys.Count >= MaxOwners)
            {
                slot.Keys.Clear();
            }

            slot.Keys[owner] = keys;
        }

        return keys;
    }

    private async Task<Reader> OpenReaderAsync(Slot slot, CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        lock (slot.Gate)
        {
            if (_disposed || slot.Reader is not null)
            {
                connection.Dispose();
                ObjectDisposedException.ThrowIf(_disposed, this);
                return slot.Reader!;
            }

            slot.Reader = new Reader(connection);
            return slot.Reader;
        }
    }

    /// <summary>One independent cache: its connection, the versions that connection last saw, and the keys read under them.</summary>
    private sealed class Slot
    {
        public readonly Lock Gate = new();
        public readonly Dictionary<string, string[]> Keys = new(StringComparer.Ordinal);
        public Reader? Reader;
        public long DataVersion = -1;
        public long KeyVersion = -1;

        // Under Gate.
        public void Forget(Reader reader)
        {
            if (ReferenceEquals(Reader, reader))
            {
                Reader = null;
            }

            // data_version values compare only on the connection that gave them.
            DataVersion = -1;
            KeyVersion = -1;
            Keys.Clear();
            reader.Dispose();
        }
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
