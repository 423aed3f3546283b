using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Sqlite;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// Content serving's memory of published versions when another process publishes (the scaled-out shape: a slicer
/// process adds a caption track, an API node serves it): what the new version added is served at once, not after
/// the memory goes stale.
/// </summary>
public sealed class PublishedAssetsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloudslicer-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new();
    private readonly SqliteDatabase _database;
    private readonly SqliteAssetStore _store;

    public PublishedAssetsTests()
    {
        _database = new SqliteDatabase(Path.Combine(_root, "cloudslicer.db"));
        _store = new SqliteAssetStore(_database, _clock);
    }

    [Fact]
    public async Task A_file_a_version_published_elsewhere_added_is_found_at_once_and_a_refresh_sees_the_new_version()
    {
        var v1 = Manifest(1, []);
        await _store.PublishAsync(v1, false, CancellationToken.None);
        var node = new PublishedAssets(_store, _clock);   // an API node that served version 1 a moment ago
        Assert.Equal(1, await node.VersionAsync(v1.Id, CancellationToken.None));

        // Another process publishes version 2 with a caption track (its own folder, a name version 1 never had).
        await _store.PublishAsync(Manifest(2, [new Rendition(Rendition.Subtitles, "sub0", "en", "sub0-1a2b/index.m3u8")]) with { Id = v1.Id, Job = v1.Job }, false, CancellationToken.None);

        Assert.Equal(1, await node.VersionAsync(v1.Id, CancellationToken.None));   // a ray's slices may come from the memory
        var captions = await node.CurrentAsync(v1.Id, "sub0-1a2b/index.m3u8", CancellationToken.None);
        Assert.Equal((2, $"assets/{v1.Id}/v2/sub0-1a2b/index.m3u8"), (captions!.Version, captions.Key("sub0-1a2b/index.m3u8")));
        Assert.Equal(2, (await node.CurrentAsync(v1.Id, "a/seg_00000.m4s", CancellationToken.None))!.Version);   // remembered from now

        await _store.PublishAsync(Manifest(3, []) with { Id = v1.Id, Job = v1.Job }, false, CancellationToken.None);
        Assert.Equal(3, (await node.RefreshAsync(v1.Id, CancellationToken.None))!.Version);   // what a master request reads
        Assert.Null(await node.CurrentAsync("no-such-asset", "a/seg_00000.m4s", CancellationToken.None));
    }

    public void Dispose()
    {
        _database.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static AssetManifest Manifest(int version, IReadOnlyList<Rendition> renditions) => new()
    {
        Id = Core.Ids.New(),
        Owner = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        Job = Core.Ids.New(),
        Version = version,
        Desc = "Pilot",
        Duration = 10.5,
        SliceDuration = 4.096,
        Slices = 3,
        Rays = [new Ray("a", 426, 240, 30, 400)],
        Renditions = [new Rendition(Rendition.Audio, "audio", "en", "audio/index.m3u8", 128), .. renditions],
        OrigFilename = "pilot.mp4",
    };
}
