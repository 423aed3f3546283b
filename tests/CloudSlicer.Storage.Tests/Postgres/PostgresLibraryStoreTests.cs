using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Libraries;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Postgres;

namespace CloudSlicer.Storage.Tests.Postgres;

/// <summary>The library store contract on a fresh real PostgreSQL database.</summary>
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
}
