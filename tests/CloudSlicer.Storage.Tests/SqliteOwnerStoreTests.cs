using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Sqlite;
using CloudSlicer.Testing;
using Microsoft.Data.Sqlite;

namespace CloudSlicer.Storage.Tests;

public sealed class SqliteOwnerStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloudslicer-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new();
    private readonly List<SqliteDatabase> _databases = [];
    private readonly List<SqliteOwnerStore> _stores = [];

    private static CancellationToken Ct => CancellationToken.None;

    public void Dispose()
    {
        _stores.ForEach(store => store.Dispose());
        _databases.ForEach(db => db.Dispose());
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task New_owner_gets_a_hex_id_and_one_enabled_40_character_url_safe_key()
    {
        var store = Open();
        Assert.False(await store.AnyOwnerAsync(Ct));

        var credentials = await store.AddOwnerAsync("Newsroom", Ct);

        Assert.True(Core.Ids.IsValid(credentials.Owner));
        Assert.Equal(40, credentials.Secret.Length);
        Assert.All(credentials.Secret, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe"));
        Assert.True(await store.AnyOwnerAsync(Ct));
        Assert.Equal([credentials.Secret], await store.GetEnabledKeysAsync(credentials.Owner, Ct));
    }

    [Fact]
    public async Task Every_owner_and_key_is_different()
    {
        var store = Open();
        var first = await store.AddOwnerAsync(null, Ct);
        var second = await store.AddOwnerAsync(null, Ct);
        var extra = await store.AddKeyAsync(first.Owner, Ct);

        Assert.NotEqual(first.Owner, second.Owner);
        Assert.Equal(3, new[] { first.Secret, second.Secret, extra!.Secret }.Distinct().Count());
        Assert.Equal([second.Secret], await store.GetEnabledKeysAsync(second.Owner, Ct));
    }

    [Fact]
    public async Task Added_key_signs_alongside_the_first_until_disabled()
    {
        var store = Open();
        var owner = await store.AddOwnerAsync("Sports", Ct);
        _clock.Advance(TimeSpan.FromSeconds(1));

        var added = await store.AddKeyAsync(owner.Owner, Ct);

        Assert.Equal(owner.Owner, added!.Owner);
        Assert.Equal([owner.Secret, added.Secret], await store.GetEnabledKeysAsync(owner.Owner, Ct));
        Assert.True(await store.DisableKeyAsync(owner.Owner, owner.Secret, Ct));
        Assert.Equal([added.Secret], await store.GetEnabledKeysAsync(owner.Owner, Ct));
        Assert.False(await store.DisableKeyAsync(owner.Owner, owner.Secret, Ct));
    }

    [Fact]
    public async Task Unknown_owner_has_no_keys_and_gets_none_added()
    {
        var store = Open();
        var unknown = Core.Ids.New();

        Assert.Empty(await store.GetEnabledKeysAsync(unknown, Ct));
        Assert.Null(await store.AddKeyAsync(unknown, Ct));
        Assert.False(await store.AnyOwnerAsync(Ct));
    }

    [Fact]
    public async Task Owner_cannot_disable_another_owners_key()
    {
        var store = Open();
        var mine = await store.AddOwnerAsync(null, Ct);
        var theirs = await store.AddOwnerAsync(null, Ct);

        Assert.False(await store.DisableKeyAsync(mine.Owner, theirs.Secret, Ct));
        Assert.False(await store.DisableKeyAsync(mine.Owner, "no-such-key", Ct));
        Assert.Equal([theirs.Secret], await store.GetEnabledKeysAsync(theirs.Owner, Ct));
    }

    [Fact]
    public async Task Owners_and_keys_survive_reopening_the_file()
    {
        var owner = await Open().AddOwnerAsync("Archive", Ct);
        _stores.ForEach(store => store.Dispose());
        _databases.ForEach(db => db.Dispose());

        var reopened = Open();

        Assert.True(await reopened.AnyOwnerAsync(Ct));
        Assert.Equal([owner.Secret], await reopened.GetEnabledKeysAsync(owner.Owner, Ct));
    }

    [Fact]
    public async Task Concurrent_owner_creation_loses_nothing()
    {
        var store = Open();

        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.AddOwnerAsync(null, Ct))));

        foreach (var owner in created)
        {
            Assert.Equal([owner.Secret], await store.GetEnabledKeysAsync(owner.Owner, Ct));
        }
    }

    [Fact]
    public async Task Keys_changed_by_another_store_on_the_same_file_count_at_the_next_read()
    {
        // Two stores over two SqliteDatabase objects stand for the server and the CLI process.
        var server = Open();
        var cli = Open();
        var owner = await cli.AddOwnerAsync("Remote", Ct);
        Assert.Equal([owner.Secret], await server.GetEnabledKeysAsync(owner.Owner, Ct));
        _clock.Advance(TimeSpan.FromSeconds(1));

        var added = await cli.AddKeyAsync(owner.Owner, Ct);
        Assert.Equal([owner.Secret, added!.Secret], await server.GetEnabledKeysAsync(owner.Owner, Ct));

        Assert.True(await cli.DisableKeyAsync(owner.Owner, owner.Secret, Ct));
        Assert.Equal([added.Secret], await server.GetEnabledKeysAsync(owner.Owner, Ct));
    }

    [Fact]
    public async Task A_key_disabled_by_hand_in_the_database_stops_at_the_next_read()
    {
        var store = Open();
        var owner = await store.AddOwnerAsync(null, Ct);
        Assert.Equal([owner.Secret], await store.GetEnabledKeysAsync(owner.Owner, Ct));

        // An operator's sqlite3 session, not our code: the triggers still move the key version.
        await ExecuteAsync("UPDATE api_keys SET enabled = 0;");

        Assert.Empty(await store.GetEnabledKeysAsync(owner.Owner, Ct));
    }

    [Fact]
    public async Task Enabled_keys_come_from_memory_until_the_key_version_moves()
    {
        var store = Open();
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
        var store = Open();
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

    [Fact]
    public async Task Concurrent_reads_while_keys_change_never_return_a_disabled_key_afterwards()
    {
        var server = Open();
        var cli = Open();
        var owner = await cli.AddOwnerAsync(null, Ct);
        var keys = new List<string> { owner.Secret };
        for (var i = 0; i < 8; i++)
        {
            keys.Add((await cli.AddKeyAsync(owner.Owner, Ct))!.Secret);
        }

        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await server.GetEnabledKeysAsync(owner.Owner, Ct);
            }
        })).ToList();

        foreach (var key in keys)
        {
            Assert.True(await cli.DisableKeyAsync(owner.Owner, key, Ct));
            Assert.DoesNotContain(key, await server.GetEnabledKeysAsync(owner.Owner, Ct));
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Empty(await server.GetEnabledKeysAsync(owner.Owner, Ct));
    }

    private SqliteOwnerStore Open()
    {
        var database = new SqliteDatabase(DatabasePath);
        _databases.Add(database);
        var store = new SqliteOwnerStore(database, _clock);
        _stores.Add(store);
        return store;
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
