using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Postgres;

namespace CloudSlicer.Storage.Tests.Postgres;

/// <summary>The asset store contract on a fresh real PostgreSQL database, plus publishing from several processes at once.</summary>
public sealed class PostgresAssetStoreTests : AssetStoreContract, IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloudslicer-storage-tests", Guid.NewGuid().ToString("N"));
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    protected override IAssetStore CreateStore() => new PostgresAssetStore(_database.Open(), Clock);

    protected override IBlobStore CreateBlobs() => new LocalDiskBlobStore(Path.Combine(_root, "blobs"));

    [Fact]
    public async Task Processes_publishing_one_external_id_at_once_leave_exactly_one_live_asset_holding_it()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => CreateStore()).ToList();

        var outcomes = await Task.WhenAll(stores.Select(store => Task.Run(() => store.PublishAsync(Manifest(OwnerA, "show-1"), false, CancellationToken.None))));

        var published = Assert.Single(outcomes.OfType<PublishOutcome.Published>());
        Assert.All(outcomes.Where(o => o is not PublishOutcome.Published), o => Assert.Equal(published.Asset.Id, Assert.IsType<PublishOutcome.ExternalIdTaken>(o).OtherAsset));
        Assert.Equal(published.Asset.Id, (await stores[0].GetByExternalIdAsync(OwnerA, "show-1", CancellationToken.None))!.Id);
    }

    [Fact]
    public async Task Processes_replacing_one_external_id_at_once_each_publish_and_leave_exactly_one_live_holder()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => CreateStore()).ToList();
        await stores[0].PublishAsync(Manifest(OwnerA, "show-1"), false, CancellationToken.None);

        var outcomes = await Task.WhenAll(stores.Select(store => Task.Run(() => store.PublishAsync(Manifest(OwnerA, "show-1"), true, CancellationToken.None))));

        Assert.All(outcomes, o => Assert.IsType<PublishOutcome.Published>(o));
        var live = await stores[0].ListAsync(OwnerA, 50, 0, null, CancellationToken.None);
        Assert.Equal("show-1", Assert.Single(live).ExternalId);
        Assert.Equal(outcomes.Length, (await stores[0].ListDeletedAsync(50, CancellationToken.None)).Count);
    }
}
