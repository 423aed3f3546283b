using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Sqlite;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests;

public sealed class SqliteOwnerStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloudslicer-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new();
    private readonly List<SqliteDatabase> _databases = [];

    private static CancellationToken Ct => CancellationToken.None;

    public void Dispose()
    {
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

    private SqliteOwnerStore Open()
    {
        var database = new SqliteDatabase(Path.Combine(_root, "owners.db"));
        _databases.Add(database);
        return new SqliteOwnerStore(database, _clock);
    }
}
