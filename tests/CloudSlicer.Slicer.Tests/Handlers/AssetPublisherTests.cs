using CloudSlicer.Core.Assets;
using CloudSlicer.Slicer.Handlers;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Sqlite;
using CloudSlicer.Testing;

namespace CloudSlicer.Slicer.Tests.Handlers;

/// <summary>
/// Publishing over the real local-disk blob store and the real SQLite asset store: the record is written last
/// and is the switch; a failure or cancel before it removes only the new version's files; replacement deletes
/// the older holders of the external id once the new asset is published.
/// </summary>
public sealed class AssetPublisherTests : IDisposable
{
    private const string Owner = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cloudslicer-publish-{Guid.NewGuid():N}");
    private readonly RecordingBlobStore _blobs;
    private readonly SqliteDatabase _database;
    private readonly SqliteAssetStore _assets;
    private readonly PublishedAssets _published;
    private readonly AssetPublisher _publisher;

    public AssetPublisherTests()
    {
        _blobs = new RecordingBlobStore(new LocalDiskBlobStore(Path.Combine(_root, "blobs")));
        _database = new SqliteDatabase(Path.Combine(_root, "cloudslicer.db"));
        _assets = new SqliteAssetStore(_database, new FakeTimeProvider());
        _published = new PublishedAssets(_assets, TimeProvider.System);
        _publisher = new AssetPublisher(
            _blobs, _assets, new AssetRemover(_assets, _blobs, _published), _published,
            new SqliteLibraryStore(_database, TimeProvider.System), Microsoft.Extensions.Logging.Abstractions.NullLogger<AssetPublisher>.Instance);
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string Encoded(string name = "out")
    {
        var dir = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.Combine(dir, "a"));
        File.WriteAllText(Path.Combine(dir, "a", "index.m3u8"), "#EXTM3U\n");
        File.WriteAllBytes(Path.Combine(dir, "a", "init.mp4"), new byte[10]);
        File.WriteAllBytes(Path.Combine(dir, "a", "seg_00000.m4s"), new byte[100]);
        File.WriteAllBytes(Path.Combine(dir, "poster.jpg"), new byte[5]);
        return dir;
    }

    private static AssetManifest Manifest(string? externalId = null, int version = 1, string? id = null) => new()
    {
        Id = id ?? Core.Ids.New(),
        Owner = Owner,
        Version = version,
        ExternalId = externalId,
        Duration = 4,
        Poster = "poster.jpg",
    };

    private Task<AssetManifest> PublishAsync(AssetManifest manifest, string? directory = null, bool replace = false, Func<CancellationToken, Task>? beforeSwitch = null, CancellationToken ct = default) =>
        _publisher.PublishAsync(manifest, directory ?? Encoded(), [(AssetLayout.MasterName, "#EXTM3U\n")], replace, beforeSwitch, ct);

    [Fact]
    public async Task Every_file_is_stored_under_the_version_and_the_record_is_written_after_the_last_one()
    {
        var manifest = Manifest();
        var sawRecordBeforeSwitch = true;
        await PublishAsync(manifest, beforeSwitch: async ct => sawRecordBeforeSwitch = await _assets.FindPublishedAsync(manifest.Id, ct) is not null);

        foreach (var file in new[] { "a/index.m3u8", "a/init.mp4", "a/seg_00000.m4s", "poster.jpg", "master.m3u8", "asset.json" })
        {
            Assert.True(await _blobs.ExistsAsync(AssetLayout.File(manifest.Id, 1, file), default), file);
        }

        Assert.Equal([AssetLayout.Master(manifest.Id, 1), AssetLayout.Manifest(manifest.Id, 1)], _blobs.Puts.TakeLast(2));
        Assert.False(sawRecordBeforeSwitch);
        Assert.Equal(1, await _published.VersionAsync(manifest.Id, default));
    }

    [Fact]
    public async Task A_failure_part_way_removes_what_was_stored_and_writes_no_record()
    {
        var manifest = Manifest();
        // A directory where the master should go makes that write fail after the slices were stored.
        Directory.CreateDirectory(Path.Combine(_root, "blobs", "assets", manifest.Id, "v1", "master.m3u8", "x"));
        await Assert.ThrowsAnyAsync<Exception>(() => PublishAsync(manifest));

        Assert.Null(await _assets.FindPublishedAsync(manifest.Id, default));
        Assert.False(Directory.Exists(Path.Combine(_root, "blobs", "assets", manifest.Id)));
    }

    [Fact]
    public async Task A_cancel_while_storing_removes_what_was_stored()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var manifest = Manifest();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PublishAsync(manifest, ct: cancelled.Token));
        Assert.False(Directory.Exists(Path.Combine(_root, "blobs", "assets", manifest.Id)));
        Assert.Null(await _assets.FindPublishedAsync(manifest.Id, default));
    }

    [Fact]
    public async Task A_cancel_noticed_by_the_last_heartbeat_stops_the_switch()
    {
        using var cts = new CancellationTokenSource();
        var manifest = Manifest();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PublishAsync(manifest, beforeSwitch: _ => cts.CancelAsync(), ct: cts.Token));
        Assert.Null(await _assets.FindPublishedAsync(manifest.Id, default));
        Assert.False(Directory.Exists(Path.Combine(_root, "blobs", "assets", manifest.Id)));
    }

    [Fact]
    public async Task A_new_version_is_stored_beside_the_served_one_which_stays_whole_until_the_switch_and_after_a_failure()
    {
        var v1 = await PublishAsync(Manifest() with { Rays = [Ray("a")] });
        var servedDuringStore = 0;
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => _publisher.PublishNextAsync(
            v1, v1, Encoded("out2"), [(AssetLayout.MasterName, "#EXTM3U\n")],
            async ct =>
            {
                servedDuringStore = (await _published.VersionAsync(v1.Id, ct))!.Value;
                throw new InvalidOperationException("the slicer died before the switch");
            },
            default));

        Assert.Equal(1, servedDuringStore);
        Assert.Equal(1, (await _assets.FindPublishedAsync(v1.Id, default))!.Version);
        Assert.True(await _blobs.ExistsAsync(AssetLayout.File(v1.Id, 1, "a/seg_00000.m4s"), default));
        Assert.Equal(["v1"], Directory.EnumerateDirectories(Path.Combine(_root, "blobs", "assets", v1.Id)).Select(Path.GetFileName));

        // Each of these versions makes ray a anew, so the one before it stops using its own.
        var v2 = await _publisher.PublishNextAsync(v1, v1, Encoded("out3"), [(AssetLayout.MasterName, "#EXTM3U\n")], null, default);
        Assert.Equal(2, v2.Version);
        Assert.Equal(2, await _published.VersionAsync(v1.Id, default));
        Assert.StartsWith("v2-", v2.Folder, StringComparison.Ordinal);
        Assert.True(await _blobs.ExistsAsync(AssetLayout.File(v2, "a/seg_00000.m4s"), default));
        Assert.True(await _blobs.ExistsAsync(AssetLayout.File(v1.Id, 1, "a/seg_00000.m4s"), default), "players mid-stream keep the previous version");

        await _publisher.PublishNextAsync(v2, v2, Encoded("out4"), [(AssetLayout.MasterName, "#EXTM3U\n")], null, default);
        Assert.False(await _blobs.ExistsAsync(AssetLayout.File(v1.Id, 1, "a/seg_00000.m4s"), default), "what versions older than the previous used goes");
        Assert.False(await _blobs.ExistsAsync(AssetLayout.Master(v1.Id, 1), default));
        Assert.True(await _blobs.ExistsAsync(AssetLayout.File(v2, "a/seg_00000.m4s"), default));
    }

    [Fact]
    public async Task A_version_that_adds_a_track_stores_only_the_track_and_shares_every_other_file()
    {
        var v1 = await PublishAsync(Manifest() with { Rays = [Ray("a")] });
        var next = v1 with { Renditions = [new Rendition(Rendition.Audio, "audio1", "es", "audio1/index.m3u8", 128, "Spanish", "aac")] };

        var v2 = await _publisher.PublishNextAsync(v1, next, Track("t2"), [(AssetLayout.MasterName, "#EXTM3U\n")], null, default);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "v1", ["poster.jpg"] = "v1" }, v2.Locations);
        Assert.False(Directory.Exists(Path.Combine(_root, "blobs", "assets", v1.Id, v2.OwnFolder, "a")), "no slice is copied");
        var served = (await _published.CurrentAsync(v1.Id, default))!;
        Assert.True(await _blobs.ExistsAsync(served.Key("a/seg_00000.m4s"), default));
        Assert.True(await _blobs.ExistsAsync(served.Key("audio1/index.m3u8"), default));
        Assert.True(await _blobs.ExistsAsync(served.Master, default));

        // A third version that replaces the track: the shared ray stays through every version.
        var v3 = await _publisher.PublishNextAsync(v2, v2, Track("t3"), [(AssetLayout.MasterName, "#EXTM3U\n")], null, default);
        var v4 = await _publisher.PublishNextAsync(v3, v3, Track("t4"), [(AssetLayout.MasterName, "#EXTM3U\n")], null, default);
        Assert.Equal("v1", v4.FolderOf("a/seg_00000.m4s"));
        Assert.True(await _blobs.ExistsAsync(AssetLayout.File(v4, "a/seg_00000.m4s"), default));
        Assert.False(await _blobs.ExistsAsync(AssetLayout.File(v2, "audio1/index.m3u8"), default), "the replaced track of two versions back is gone");
        Assert.True(await _blobs.ExistsAsync(AssetLayout.File(v3, "audio1/index.m3u8"), default), "the previous version's track stays for its players");
    }

    [Fact]
    public async Task A_replaced_track_stays_served_to_players_of_the_previous_version_until_the_next_one()
    {
        var v1 = await PublishAsync(Manifest() with { Rays = [Ray("a")] });
        var spanish = new Rendition(Rendition.Audio, "audio1", "es", "audio1/index.m3u8", 128, "Spanish", "aac");
        var v2 = await _publisher.PublishNextAsync(v1, v1 with { Renditions = [spanish] }, Track("t2"), [(AssetLayout.MasterName, "#EXTM3U\n")], null, default);

        // The track is replaced under a new name, as a caption replace does: the old name is no longer in the record.
        var replacement = Path.Combine(_root, "t3");
        Directory.CreateDirectory(Path.Combine(replacement, "audio2"));
        File.WriteAllText(Path.Combine(replacement, "audio2", "index.m3u8"), "#EXTM3U\n");
        var v3 = await _publisher.PublishNextAsync(v2, v2 with { Renditions = [spanish with { Name = "audio2", Path = "audio2/index.m3u8" }] }, replacement, [(AssetLayout.MasterName, "#EXTM3U\n")], null, default);

        var served = (await _published.CurrentAsync(v1.Id, default))!;
        Assert.Equal(3, served.Version);
        Assert.True(await _blobs.ExistsAsync(served.Key("audio1/index.m3u8"), default), "a player holding version 2's master still gets its track");
        Assert.True(await _blobs.ExistsAsync(served.Key("audio2/index.m3u8"), default));
        Assert.True(await _blobs.ExistsAsync(served.Key("a/seg_00000.m4s"), default));

        var nothingNew = Directory.CreateDirectory(Path.Combine(_root, "t4")).FullName;
        await _publisher.PublishNextAsync(v3, v3, nothingNew, [(AssetLayout.MasterName, "#EXTM3U\n")], null, default);
        Assert.False(await _blobs.ExistsAsync((await _published.CurrentAsync(v1.Id, default))!.Key("audio1/index.m3u8"), default), "two versions back, it is gone");
    }

    [Fact]
    public async Task Two_jobs_racing_to_publish_the_same_version_never_touch_each_others_files()
    {
        var v1 = await PublishAsync(Manifest() with { Rays = [Ray("a")] });
        var next = v1 with { Renditions = [new Rendition(Rendition.Audio, "audio1", "es", "audio1/index.m3u8", 128, "Spanish", "aac")] };
        var loserStored = new TaskCompletionSource();
        var winnerPublished = new TaskCompletionSource();

        // The loser stores its files, then waits for the winner to switch before trying its own switch.
        var loser = _publisher.PublishNextAsync(v1, next, Track("lose"), [(AssetLayout.MasterName, "#EXTM3U\n")], async ct =>
        {
            loserStored.SetResult();
            await winnerPublished.Task;
        }, default);
        await loserStored.Task;
        var winner = await _publisher.PublishNextAsync(v1, next, Track("win"), [(AssetLayout.MasterName, "#EXTM3U\n")], null, default);
        winnerPublished.SetResult();

        await Assert.ThrowsAsync<JobFailedException>(() => loser);
        var served = (await _published.CurrentAsync(v1.Id, default))!;
        Assert.Equal(winner.OwnFolder, served.Folder);
        Assert.True(await _blobs.ExistsAsync(served.Key("audio1/index.m3u8"), default), "the winner's track survives the loser's clean-up");
        Assert.True(await _blobs.ExistsAsync(served.Master, default));
        Assert.Equal(["v1", winner.OwnFolder], Directory.EnumerateDirectories(Path.Combine(_root, "blobs", "assets", v1.Id)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static Ray Ray(string name) => new(name, 640, 360, 30, 800);

    /// <summary>What a track job makes: one rendition directory (stored files are moved, so each version gets its own).</summary>
    private string Track(string name)
    {
        var dir = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.Combine(dir, "audio1"));
        File.WriteAllText(Path.Combine(dir, "audio1", "index.m3u8"), "#EXTM3U\n");
        return dir;
    }

    [Fact]
    public async Task A_taken_external_id_fails_the_job_for_good_and_leaves_the_holder_alone()
    {
        var holder = await PublishAsync(Manifest("show-1"));
        var second = Manifest("show-1");

        var error = await Assert.ThrowsAsync<JobFailedException>(() => PublishAsync(second));

        Assert.True(error.Permanent);
        Assert.Contains("auto_replace", error.Message, StringComparison.Ordinal);
        Assert.Equal(holder.Id, (await _assets.GetByExternalIdAsync(Owner, "show-1", default))!.Id);
        Assert.False(Directory.Exists(Path.Combine(_root, "blobs", "assets", second.Id)));
    }

    [Fact]
    public async Task Replacement_deletes_the_older_holder_once_the_new_asset_is_published()
    {
        var old = await PublishAsync(Manifest("show-1"));
        var replacement = await PublishAsync(Manifest("show-1"), replace: true);

        Assert.Equal(replacement.Id, (await _assets.GetByExternalIdAsync(Owner, "show-1", default))!.Id);
        Assert.Null(await _published.VersionAsync(old.Id, default));
        Assert.False(Directory.Exists(Path.Combine(_root, "blobs", "assets", old.Id)));
        Assert.Empty(await _assets.ListDeletedAsync(10, default));
    }

    [Fact]
    public async Task A_failed_replacement_never_deletes_the_existing_asset()
    {
        var old = await PublishAsync(Manifest("show-1"));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => PublishAsync(
            Manifest("show-1"), replace: true, beforeSwitch: _ => throw new InvalidOperationException("cancelled")));

        Assert.Equal(old.Id, (await _assets.GetByExternalIdAsync(Owner, "show-1", default))!.Id);
        Assert.True(await _blobs.ExistsAsync(AssetLayout.Master(old.Id, 1), default));
    }

    [Fact]
    public async Task Discarding_a_published_first_version_removes_the_record_and_the_files()
    {
        var asset = await PublishAsync(Manifest("show-1"));
        await _publisher.DiscardAsync(asset.Id, default);

        Assert.Null(await _assets.FindPublishedAsync(asset.Id, default));
        Assert.False(Directory.Exists(Path.Combine(_root, "blobs", "assets", asset.Id)));
    }
}

/// <summary>The real local-disk store, recording the order in which keys were stored.</summary>
internal sealed class RecordingBlobStore(IBlobStore inner) : IBlobStore
{
    private readonly List<string> _puts = [];

    public IReadOnlyList<string> Puts
    {
        get
        {
            lock (_puts)
            {
                return _puts.ToList();
            }
        }
    }

    public async Task PutFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        await inner.PutFileAsync(key, localPath, cancellationToken);
        Record(key);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await inner.PutAsync(key, content, cancellationToken);
        Record(key);
    }

    public Task<BlobRead?> OpenReadAsync(string key, BlobRange? range, CancellationToken cancellationToken) => inner.OpenReadAsync(key, range, cancellationToken);

    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken) => inner.GetInfoAsync(key, cancellationToken);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => inner.ExistsAsync(key, cancellationToken);

    public async Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        await inner.CopyAsync(sourceKey, destinationKey, cancellationToken);
        Record(destinationKey);
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken) => inner.DeletePrefixAsync(prefix, cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

    private void Record(string key)
    {
        lock (_puts)
        {
            _puts.Add(key);
        }
    }
}
