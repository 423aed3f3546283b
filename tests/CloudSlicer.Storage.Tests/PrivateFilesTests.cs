using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Sqlite;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests;

/// <summary>The database holds raw API keys: no other local user may read it, its WAL or its shared memory.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests : IDisposable
{
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Rwx = Rw | UnixFileMode.UserExecute;

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cloudslicer-private-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_new_database_its_wal_and_shm_are_0600_in_a_0700_directory()
    {
        var path = Path.Combine(_root, "data", "cloudslicer.db");
        using var db = new SqliteDatabase(path);
        var owners = new SqliteOwnerStore(db, new FakeTimeProvider());
        await owners.AddOwnerAsync("keys inside", CancellationToken.None);

        // The WAL and shared-memory files exist while a connection is pooled.
        Assert.True(File.Exists(path + "-wal"), "WAL file expected");
        Assert.Equal(Rwx, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(Rw, File.GetUnixFileMode(path));
        Assert.Equal(Rw, File.GetUnixFileMode(path + "-wal"));
        Assert.Equal(Rw, File.GetUnixFileMode(path + "-shm"));
    }

    [Fact]
    public async Task An_existing_world_readable_database_is_tightened_on_open()
    {
        var path = Path.Combine(_root, "old.db");
        using (var first = new SqliteDatabase(path))
        {
            await new SqliteOwnerStore(first, new FakeTimeProvider()).AddOwnerAsync("before", CancellationToken.None);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        const UnixFileMode WorldReadable = Rw | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(path, WorldReadable);

        using var db = new SqliteDatabase(path);
        Assert.True(await new SqliteOwnerStore(db, new FakeTimeProvider()).AnyOwnerAsync(CancellationToken.None));
        Assert.Equal(Rw, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_missing_directory_is_created_0700_and_an_existing_one_keeps_its_mode()
    {
        var fresh = Path.Combine(_root, "a", "b");
        PrivateFiles.CreateDirectory(fresh);
        Assert.Equal(Rwx, File.GetUnixFileMode(fresh));

        var shared = Directory.CreateDirectory(Path.Combine(_root, "shared")).FullName;
        const UnixFileMode Open = Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(shared, Open);
        PrivateFiles.CreateDirectory(shared);
        Assert.Equal(Open, File.GetUnixFileMode(shared));
    }
}
