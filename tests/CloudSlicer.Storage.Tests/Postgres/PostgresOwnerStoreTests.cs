using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Postgres;

namespace CloudSlicer.Storage.Tests.Postgres;

/// <summary>
/// The owner store contract on a real PostgreSQL database, plus what only a shared database shows: API nodes
/// that cache keys must refuse a key another process disabled, at once.
/// </summary>
public sealed class PostgresOwnerStoreTests : OwnerStoreContract, IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected override Task<IOwnerStore> OpenAsync() => Task.FromResult<IOwnerStore>(new PostgresOwnerStore(_database.Open(), Clock));

    protected override Task CloseAllAsync() => _database.CloseAllAsync();

    protected override Task ExecuteSqlAsync(string sql) => _database.ExecuteAsync(sql);

    [Fact]
    public async Task A_key_disabled_through_one_process_is_refused_at_once_by_another_that_had_it_cached()
    {
        var processA = await OpenAsync();
        var processB = await OpenAsync();
        var owner = await processA.AddOwnerAsync("Newsroom", Ct);
        var spare = (await processA.AddKeyAsync(owner.Owner, Ct))!;

        // B serves many calls with the key: it is cached there.
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains(owner.Secret, await processB.GetEnabledKeysAsync(owner.Owner, Ct));
        }

        Assert.True(await processA.DisableKeyAsync(owner.Owner, owner.Secret, Ct));

        Assert.Equal([spare.Secret], await processB.GetEnabledKeysAsync(owner.Owner, Ct));
    }

    [Fact]
    public async Task Enabled_keys_come_from_memory_until_the_key_version_moves()
    {
        var store = await OpenAsync();
        var owner = await store.AddOwnerAsync(null, Ct);
        Assert.Equal([owner.Secret], await store.GetEnabledKeysAsync(owner.Owner, Ct));

        // A change that bypasses the version (only possible with the trigger switched off) is not seen: the keys
        // are cached, and the version alone decides when they are read again.
        await _database.ExecuteAsync("ALTER TABLE api_keys DISABLE TRIGGER api_keys_changed; UPDATE api_keys SET enabled = 0");
        Assert.Equal([owner.Secret], await store.GetEnabledKeysAsync(owner.Owner, Ct));

        await _database.ExecuteAsync("UPDATE key_version SET version = version + 1");
        Assert.Empty(await store.GetEnabledKeysAsync(owner.Owner, Ct));
    }

    [Fact]
    public async Task Keys_disabled_while_many_nodes_read_them_are_never_returned_afterwards_by_any_node()
    {
        var nodes = new[] { await OpenAsync(), await OpenAsync(), await OpenAsync() };
        var cli = await OpenAsync();
        var owner = await cli.AddOwnerAsync(null, Ct);
        var keys = new List<string> { owner.Secret };
        for (var i = 0; i < 5; i++)
        {
            keys.Add((await cli.AddKeyAsync(owner.Owner, Ct))!.Secret);
        }

        using var stop = new CancellationTokenSource();
        var readers = nodes.SelectMany(node => Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await node.GetEnabledKeysAsync(owner.Owner, Ct);
            }
        }))).ToList();

        foreach (var key in keys)
        {
            Assert.True(await cli.DisableKeyAsync(owner.Owner, key, Ct));
            foreach (var node in nodes)
            {
                Assert.DoesNotContain(key, await node.GetEnabledKeysAsync(owner.Owner, Ct));
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        foreach (var node in nodes)
        {
            Assert.Empty(await node.GetEnabledKeysAsync(owner.Owner, Ct));
        }
    }
}
