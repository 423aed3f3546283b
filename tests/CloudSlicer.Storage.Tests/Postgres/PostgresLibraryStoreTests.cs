using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Libraries;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Postgres;

namespace CloudSlicer.Storage.Tests.Postgres;

/// <summary>The library store contract on a fresh real PostgreSQL database, plus slicers in several processes joining at once.</summary>
public sealed class PostgresLibraryStoreTests : LibraryStoreContract, IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected override (ILibraryStore Libraries, IAssetStore Assets, IOwnerStore Owners) CreateStores()
    {
        var db = _database.Open();
        return (new PostgresLibraryStore(db, Clock), new PostgresAssetStore(db, Clock), new PostgresOwnerStore(db, Clock));
    }

    [Fact]
    public async Task Slicers_in_several_processes_joining_one_new_library_desc_at_once_create_it_once()
    {
        var (_, assets, owners) = CreateStores();
        var owner = (await owners.AddOwnerAsync("newsroom", CancellationToken.None)).Owner;
        var processes = Enumerable.Range(0, 6).Select(_ => CreateStores().Libraries).ToList();
        var published = new List<string>();
        foreach (var _ in processes)
        {
            var manifest = new AssetManifest { Id = Core.Ids.New(), Owner = owner, Job = Core.Ids.New(), Desc = "clip", OrigFilename = "clip.mp4" };
            published.Add(Assert.IsType<PublishOutcome.Published>(await assets.PublishAsync(manifest, false, CancellationToken.None)).Asset.Id);
        }

        var joins = await Task.WhenAll(processes.Select((libraries, i) =>
            Task.Run(() => libraries.JoinAsync(owner, published[i], ["Evening news"], CancellationToken.None))));

        var library = Assert.Single(await processes[0].ListAsync(owner, CancellationToken.None));
        Assert.Equal("Evening news", library.Desc);
        Assert.All(joins, join => Assert.Equal([library.Id], join.Joined));
        Assert.Equal(published.Order(StringComparer.Ordinal), library.Assets.Order(StringComparer.Ordinal));
    }
}
