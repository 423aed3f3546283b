using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloudSlicer.Storage.Tests;

/// <summary>The owner store contract on a real SQLite file, plus how its key cache decides to read again.</summary>
public sealed class SqliteOwnerStoreTests : OwnerStoreContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloudslicer-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteDatabase> _databases = [];
    private readonly List<SqliteOwnerStore> _stores = [];

    public void Dispose()
    {
        Close();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    protected override Task<IOwnerStore> OpenAsync()
    {
        var database = new SqliteDatabase(DatabasePath);
        _databases.Add(database);
        var store = new SqliteOwnerStore(database, Clock);
        _stores.Add(store);
        return Task.FromResult<IOwnerStore>(store);
    }

    protected override Task CloseAllAsync()
    {
        Close();
        return Task.CompletedTask;
    }

    protected override Task ExecuteSqlAsync(string sql) => ExecuteAsync(sql);

    [Fact]
    public async Task Enabled_keys_come_from_memory_until_the_key_version_moves()
    {
        var store = await OpenAsync();
        var owner = await store.AddOwnerAsync(null, Ct);
        Assert.Equal([owner.Secret], await store.GetEnabledKeysAsync(owner.Owner, Ct));

        // A change that bypasses the version (only possible by dropping the trigger) is not seen: the keys are
        // cached, and the version alone decides when they are read again.
        await ExecuteAsync("DROP TRIGGER api_keys_updated; UPDATE api_keys SET enabled = 0;");
        Assert.Equal([owner.Secret], await store.GetEnabledKeysAsync(owner.Owner, Ct));

        await ExecuteAsync("UPDATE key_version SET version = version + 1;");
        Assert.Empty(await store.GetEnabledKeysAsync(owner.Owner, Ct));
    }

    [Fact]
    public async Task Every_key_change_moves_the_key_version_and_other_writes_do_not()
    {
        var store = await OpenAsync();
        var owner = await store.AddOwnerAsync(null, Ct);
        var afterAdd = await KeyVersionAsync();

        var added = await store.AddKeyAsync(owner.Owner, Ct);
        Assert.True(await KeyVersionAsync() > afterAdd);
        var afterKey = await KeyVersionAsync();

        Assert.True(await store.DisableKeyAsync(owner.Owner, added!.Secret, Ct));
        Assert.True(await KeyVersionAsync() > afterKey);
        var afterDisable = await KeyVersionAsync();

        Assert.False(await store.DisableKeyAsync(owner.Owner, added.Secret, Ct));
        await ExecuteAsync("UPDATE owners SET name = 'renamed';");
        Assert.Equal(afterDisable, await KeyVersionAsync());
    }

    private void Close()
    {
        _stores.ForEach(store => store.Dispose());
        _databases.ForEach(db => db.Dispose());
        _stores.Clear();
        _databases.Clear();
    }

    private string DatabasePath => Path.Combine(_root, "owners.db");

    // A connection of its own, outside every pool: what another process's sqlite3 would be.
    private async Task<object?> ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }

    private async Task<long> KeyVersionAsync() => (long)(await ExecuteAsync("SELECT version FROM key_version;"))!;
}
