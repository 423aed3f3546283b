using CloudSlicer.Storage.Owners;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// What every <see cref="IOwnerStore"/> must do, whatever the database: owners with URL-safe keys, keys added and
/// disabled per owner only, and every key change, from any process, counting at the very next read however the
/// store caches keys. Time moves only through <see cref="Clock"/>. A backend's test class derives from this.
/// </summary>
public abstract class OwnerStoreContract
{
    protected static CancellationToken Ct => CancellationToken.None;

    protected FakeTimeProvider Clock { get; } = new();

    /// <summary>
    /// A store on this test's database (empty at the first call), opened as another process would open it: each
    /// call has a database object and key cache of its own.
    /// </summary>
    protected abstract Task<IOwnerStore> OpenAsync();

    /// <summary>Closes every store and database object opened so far, as if their processes had exited.</summary>
    protected abstract Task CloseAllAsync();

    /// <summary>Runs a statement on the test's database outside every store: an operator's own session.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    [Fact]
    public async Task Processes_starting_together_on_an_empty_store_make_exactly_one_first_owner()
    {
        // Four "processes" (stores of their own), each asking twice at once, as API nodes starting together do.
        var stores = new List<IOwnerStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await OpenAsync());
        }

        var made = await Task.WhenAll(stores.Concat(stores).Select(store => store.AddFirstOwnerAsync("first owner", Ct)));

        var first = Assert.Single(made, m => m is not null)!;
        Assert.Equal([first.Secret], await stores[3].GetEnabledKeysAsync(first.Owner, Ct));
        Assert.Null(await stores[0].AddFirstOwnerAsync("later", Ct));
        Assert.NotNull(await stores[0].AddOwnerAsync("a second owner, asked for", Ct));
    }

    [Fact]
    public async Task New_owner_gets_a_hex_id_and_one_enabled_40_character_url_safe_key()
    {
        var store = await OpenAsync();
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
        var store = await OpenAsync();
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
        var store = await OpenAsync();
        var owner = await store.AddOwnerAsync("Sports", Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));

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
        var store = await OpenAsync();
        var unknown = Core.Ids.New();

        Assert.Empty(await store.GetEnabledKeysAsync(unknown, Ct));
        Assert.Null(await store.AddKeyAsync(unknown, Ct));
        Assert.False(await store.AnyOwnerAsync(Ct));
    }

    [Fact]
    public async Task Owner_cannot_disable_another_owners_key()
    {
        var store = await OpenAsync();
        var mine = await store.AddOwnerAsync(null, Ct);
        var theirs = await store.AddOwnerAsync(null, Ct);

        Assert.False(await store.DisableKeyAsync(mine.Owner, theirs.Secret, Ct));
        Assert.False(await store.DisableKeyAsync(mine.Owner, "no-such-key", Ct));
        Assert.Equal([theirs.Secret], await store.GetEnabledKeysAsync(theirs.Owner, Ct));
    }

    [Fact]
    public async Task Owners_and_keys_survive_reopening_the_database()
    {
        var owner = await (await OpenAsync()).AddOwnerAsync("Archive", Ct);
        await CloseAllAsync();

        var reopened = await OpenAsync();

        Assert.True(await reopened.AnyOwnerAsync(Ct));
        Assert.Equal([owner.Secret], await reopened.GetEnabledKeysAsync(owner.Owner, Ct));
    }

    [Fact]
    public async Task Concurrent_owner_creation_loses_nothing()
    {
        var store = await OpenAsync();

        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.AddOwnerAsync(null, Ct))));

        foreach (var owner in created)
        {
            Assert.Equal([owner.Secret], await store.GetEnabledKeysAsync(owner.Owner, Ct));
        }
    }

    [Fact]
    public async Task Keys_changed_by_another_store_on_the_same_database_count_at_the_next_read()
    {
        // Two stores over two database objects stand for the server and the CLI process.
        var server = await OpenAsync();
        var cli = await OpenAsync();
        var owner = await cli.AddOwnerAsync("Remote", Ct);
        Assert.Equal([owner.Secret], await server.GetEnabledKeysAsync(owner.Owner, Ct));
        Clock.Advance(TimeSpan.FromSeconds(1));

        var added = await cli.AddKeyAsync(owner.Owner, Ct);
        Assert.Equal([owner.Secret, added!.Secret], await server.GetEnabledKeysAsync(owner.Owner, Ct));

        Assert.True(await cli.DisableKeyAsync(owner.Owner, owner.Secret, Ct));
        Assert.Equal([added.Secret], await server.GetEnabledKeysAsync(owner.Owner, Ct));
    }

    [Fact]
    public async Task A_key_disabled_by_hand_in_the_database_stops_at_the_next_read()
    {
        var store = await OpenAsync();
        var owner = await store.AddOwnerAsync(null, Ct);
        Assert.Equal([owner.Secret], await store.GetEnabledKeysAsync(owner.Owner, Ct));

        // An operator's own session (sqlite3, psql), not our code: the triggers still move the key version.
        await ExecuteSqlAsync("UPDATE api_keys SET enabled = 0");

        Assert.Empty(await store.GetEnabledKeysAsync(owner.Owner, Ct));
    }

    [Fact]
    public async Task Concurrent_reads_while_keys_change_never_return_a_disabled_key_afterwards()
    {
        var server = await OpenAsync();
        var cli = await OpenAsync();
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
}
