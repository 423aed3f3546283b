using CloudSlicer.Storage.Postgres;
using CloudSlicer.Storage.Slicers;

namespace CloudSlicer.Storage.Tests.Postgres;

/// <summary>The slicer registry contract on a fresh real PostgreSQL database.</summary>
public sealed class PostgresSlicerRegistryTests : SlicerRegistryContract, IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected override Task<ISlicerRegistry> CreateRegistryAsync() => Task.FromResult<ISlicerRegistry>(new PostgresSlicerRegistry(_database.Open(), Clock));
}
