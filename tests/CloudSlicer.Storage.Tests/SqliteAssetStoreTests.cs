using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Sqlite;

namespace CloudSlicer.Storage.Tests;

/// <summary>The asset store contract on a real SQLite file in a temporary directory, deleted afterwards.</summary>
public sealed class SqliteAssetStoreTests : AssetStoreContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloudslicer-storage-tests", Guid.NewGuid().ToString("N"));
    private SqliteDatabase? _database;

    protected override IAssetStore CreateStore()
    {
        _database = new SqliteDatabase(Path.Combine(_root, "data", "cloudslicer.db"));
        return new SqliteAssetStore(_database, Clock);
    }

    protected override IBlobStore CreateBlobs() => new LocalDiskBlobStore(Path.Combine(_root, "blobs"));

    public void Dispose()
    {
        _database?.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
