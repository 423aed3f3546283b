using CloudSlicer.Storage.Slicers;
using CloudSlicer.Storage.Sqlite;

namespace CloudSlicer.Storage.Tests;

/// <summary>The slicer registry contract on a real SQLite file in a temporary directory, deleted afterwards.</summary>
public sealed class SqliteSlicerRegistryTests : SlicerRegistryContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloudslicer-storage-tests", Guid.NewGuid().ToString("N"));
    private SqliteDatabase? _database;

    protected override Task<ISlicerRegistry> CreateRegistryAsync()
    {
        _database = new SqliteDatabase(Path.Combine(_root, "cloudslicer.db"));
        return Task.FromResult<ISlicerRegistry>(new SqliteSlicerRegistry(_database, Clock));
    }

    public void Dispose()
    {
        _database?.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
