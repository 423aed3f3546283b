using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Libraries;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Sqlite;

namespace CloudSlicer.Storage.Tests;

/// <summary>The library store contract on a real SQLite file in a temporary directory, deleted afterwards.</summary>
public sealed class SqliteLibraryStoreTests : LibraryStoreContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloudslicer-storage-tests", Guid.NewGuid().ToString("N"));
    private SqliteDatabase? _database;

    protected override (ILibraryStore Libraries, IAssetStore Assets, IOwnerStore Owners) CreateStores()
    {
        _database = new SqliteDatabase(Path.Combine(_root, "data", "cloudslicer.db"));
        return (new SqliteLibraryStore(_database, Clock), new SqliteAssetStore(_database, Clock), new SqliteOwnerStore(_database, Clock));
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
