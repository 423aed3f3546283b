using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// What every <see cref="IAssetStore"/> must do, whatever the database: records, external ids (unique per
/// owner among live assets, replaced on request), versions, deletes, autoexpire and owner isolation. Time moves
/// only through <see cref="Clock"/>. A backend's test class derives from this and opens a store per test.
/// </summary>
public abstract class AssetStoreContract
{
    protected const string OwnerA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    protected const string OwnerB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private static CancellationToken Ct => CancellationToken.None;

    protected FakeTimeProvider Clock { get; } = new();

    /// <summary>A fresh, empty store on <see cref="Clock"/>.</summary>
    protected abstract IAssetStore CreateStore();

    /// <summary>A blob store in a fresh directory (for the delete and sweep tests).</summary>
    protected abstract IBlobStore CreateBlobs();

    private long Millis() => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    protected static AssetManifest Manifest(string owner = OwnerA, string? externalId = null, int version = 1, string? id = null) => new()
    {
        Id = id ?? Core.Ids.New(),
        Owner = owner,
        Job = Core.Ids.New(),
        Version = version,
        ExternalId = externalId,
        Desc = "Pilot",
        Meta = new Dictionary<string, AssetMetaValue> { ["genre"] = AssetMetaValue.Of("drama"), ["season"] = AssetMetaValue.Of(3) },
        Duration = 10.5,
        SliceDuration = 4.096,
        Slices = 3,
        Rays = [new Ray("a", 426, 240, 30, 400), new Ray("b", 640, 360, 30, 800)],
        Renditions = [new Rendition("audio", "audio", "en", "audio/index.m3u8", 128)],
        BreakOffsets = [new BreakOffset(BreakOffset.AdBreak, 4, 2), new BreakOffset(BreakOffset.Boundary, 6, 1.5, "intro")],
        Poster = "poster.jpg",
        Thumbnails = [new ThumbnailSet("thumbs/default/", 128, 72, 3)],
        OrigFilename = "pilot.mp4",
    };

    private static async Task<AssetManifest> PublishAsync(IAssetStore store, AssetManifest manifest, bool replace = false) =>
        Assert.IsType<PublishOutcome.Published>(await store.PublishAsync(manifest, replace, Ct)).Asset;

    [Fact]
    public async Task A_published_asset_keeps_everything_it_was_given_and_is_found_by_id_and_external_id()
    {
        var store = CreateStore();
        var manifest = Manifest(externalId: "show-1");
        var published = await PublishAsync(store, manifest);

        var expected = manifest with { Created = Millis() };
        AssertSame(expected, published);
        AssertSame(expected, (await store.GetAsync(OwnerA, manifest.Id, Ct))!);
        AssertSame(expected, (await store.GetByExternalIdAsync(OwnerA, "show-1", Ct))!);
        AssertSame(expected, (await store.FindPublishedAsync(manifest.Id, Ct))!);
        Assert.Null(published.Expires);
    }

    [Fact]
    public async Task Another_owners_asset_is_not_found_by_any_verb()
    {
        var store = CreateStore();
        var asset = await PublishAsync(store, Manifest(OwnerA, "show-1"));

        Assert.Null(await store.GetAsync(OwnerB, asset.Id, Ct));
        Assert.Null(await store.GetByExternalIdAsync(OwnerB, "show-1", Ct));
        Assert.Empty(await store.GetManyAsync(OwnerB, [asset.Id], byExternalId: false, Ct));
        Assert.Empty(await store.GetManyAsync(OwnerB, ["show-1"], byExternalId: true, Ct));
        Assert.Empty(await store.ListAsync(OwnerB, 50, 0, null, Ct));
        Assert.IsType<UpdateOutcome.NotFound>(await store.UpdateAsync(OwnerB, asset.Id, new AssetUpdate(Desc: "mine now"), Ct));
        Assert.Null(await store.MarkDeletedAsync(OwnerB, asset.Id, Ct));
        Assert.Equal("Pilot", (await store.GetAsync(OwnerA, asset.Id, Ct))!.Desc);
    }

    [Fact]
    public async Task An_external_id_names_one_live_asset_per_owner_unless_replacement_is_asked_for()
    {
        var store = CreateStore();
        var first = await PublishAsync(store, Manifest(OwnerA, "show-1"));

        var taken = Assert.IsType<PublishOutcome.ExternalIdTaken>(await store.PublishAsync(Manifest(OwnerA, "show-1"), false, Ct));
        Assert.Equal(first.Id, taken.OtherAsset);
        Assert.Single(await store.ListAsync(OwnerA, 50, 0, null, Ct));

        // Another owner's ids are its own.
        await PublishAsync(store, Manifest(OwnerB, "show-1"));
        Assert.Equal(first.Id, (await store.GetByExternalIdAsync(OwnerA, "show-1", Ct))!.Id);
    }

    [Fact]
    public async Task Replacing_takes_the_external_id_and_makes_the_older_assets_tombstones()
    {
        var store = CreateStore();
        var old = await PublishAsync(store, Manifest(OwnerA, "show-1"));
        var other = await PublishAsync(store, Manifest(OwnerA, "show-2"));

        var outcome = Assert.IsType<PublishOutcome.Published>(await store.PublishAsync(Manifest(OwnerA, "show-1"), true, Ct));

        Assert.Equal([old.Id], outcome.Replaced.Select(a => a.Id));
        Assert.Equal(outcome.Asset.Id, (await store.GetByExternalIdAsync(OwnerA, "show-1", Ct))!.Id);
        Assert.Null(await store.GetAsync(OwnerA, old.Id, Ct));
        Assert.Null(await store.FindPublishedAsync(old.Id, Ct));
        Assert.Equal([old.Id], (await store.ListDeletedAsync(10, Ct)).Select(a => a.Id));
        Assert.NotNull(await store.GetAsync(OwnerA, other.Id, Ct));

        // Replacement with no holder is simply a publish.
        var fresh = Assert.IsType<PublishOutcome.Published>(await store.PublishAsync(Manifest(OwnerA, "show-3"), true, Ct));
        Assert.Empty(fresh.Replaced);
    }

    [Fact]
    public async Task A_later_version_switches_the_media_keeps_what_the_customer_set_and_a_stale_one_conflicts()
    {
        var store = CreateStore();
        var v1 = await PublishAsync(store, Manifest(OwnerA, "show-1"));
        await store.UpdateAsync(OwnerA, v1.Id, new AssetUpdate(Desc: "renamed"), Ct);
        Clock.Advance(TimeSpan.FromMinutes(5));

        var next = Manifest(OwnerA, externalId: null, version: 2, id: v1.Id) with { Desc = "ignored", Duration = 20, Slices = 5, Poster = "poster2.jpg" };
        var v2 = await PublishAsync(store, next);

        Assert.Equal((2, 20.0, 5, "poster2.jpg", next.Job), (v2.Version, v2.Duration, v2.Slices, v2.Poster, v2.Job));
        Assert.Equal(("renamed", "show-1", v1.Created), (v2.Desc, v2.ExternalId, v2.Created));
        Assert.Equal(2, (await store.FindPublishedAsync(v1.Id, Ct))!.Version);

        // Another job that also built on version 1 lost the race: nothing changes.
        Assert.IsType<PublishOutcome.VersionConflict>(await store.PublishAsync(next with { Duration = 99 }, false, Ct));
        Assert.Equal(20.0, (await store.GetAsync(OwnerA, v1.Id, Ct))!.Duration);

        // A deleted asset gets no new version, and another owner cannot publish one.
        Assert.IsType<PublishOutcome.VersionConflict>(await store.PublishAsync(next with { Owner = OwnerB, Version = 3 }, false, Ct));
        await store.MarkDeletedAsync(OwnerA, v1.Id, Ct);
        Assert.IsType<PublishOutcome.VersionConflict>(await store.PublishAsync(next with { Version = 3 }, false, Ct));
    }

    [Fact]
    public async Task List_is_newest_first_with_limit_skip_and_a_search_on_desc_or_external_id()
    {
        var store = CreateStore();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await PublishAsync(store, Manifest(OwnerA, $"ext-{i}") with { Desc = i == 1 ? "The Big Game" : $"clip {i}" })).Id);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(ids.AsEnumerable().Reverse(), (await store.ListAsync(OwnerA, 50, 0, null, Ct)).Select(a => a.Id));
        Assert.Equal([ids[3], ids[2]], (await store.ListAsync(OwnerA, 2, 1, null, Ct)).Select(a => a.Id));
        Assert.Equal([ids[1]], (await store.ListAsync(OwnerA, 50, 0, "big game", Ct)).Select(a => a.Id));
        Assert.Equal([ids[4]], (await store.ListAsync(OwnerA, 50, 0, "EXT-4", Ct)).Select(a => a.Id));
        Assert.Empty(await store.ListAsync(OwnerA, 0, 0, null, Ct));
    }

    [Fact]
    public async Task Get_many_finds_live_assets_by_ids_or_external_ids()
    {
        var store = CreateStore();
        var a = await PublishAsync(store, Manifest(OwnerA, "x"));
        var b = await PublishAsync(store, Manifest(OwnerA, "y"));
        await store.MarkDeletedAsync(OwnerA, b.Id, Ct);

        Assert.Equal([a.Id], (await store.GetManyAsync(OwnerA, [a.Id, b.Id, Core.Ids.New()], byExternalId: false, Ct)).Select(m => m.Id));
        Assert.Equal([a.Id], (await store.GetManyAsync(OwnerA, ["x", "y", "z"], byExternalId: true, Ct)).Select(m => m.Id));
    }

    [Fact]
    public async Task Update_sets_desc_adds_or_overwrites_meta_keys_and_assigns_a_free_external_id()
    {
        var store = CreateStore();
        var asset = await PublishAsync(store, Manifest(OwnerA, "show-1"));
        var other = await PublishAsync(store, Manifest(OwnerA, "show-2"));

        var updated = Assert.IsType<UpdateOutcome.Updated>(await store.UpdateAsync(OwnerA, asset.Id,
            new AssetUpdate("New title", new Dictionary<string, AssetMetaValue> { ["season"] = AssetMetaValue.Of(4), ["rating"] = AssetMetaValue.Of("PG") }, "show-9"), Ct)).Asset;

        Assert.Equal(("New title", "show-9"), (updated.Desc, updated.ExternalId));
        Assert.Equal(
            new Dictionary<string, AssetMetaValue> { ["genre"] = AssetMetaValue.Of("drama"), ["season"] = AssetMetaValue.Of(4), ["rating"] = AssetMetaValue.Of("PG") },
            updated.Meta);
        Assert.Null(await store.GetByExternalIdAsync(OwnerA, "show-1", Ct));

        var taken = Assert.IsType<UpdateOutcome.ExternalIdTaken>(await store.UpdateAsync(OwnerA, asset.Id, new AssetUpdate(ExternalId: "show-2"), Ct));
        Assert.Equal(other.Id, taken.OtherAsset);
        Assert.Equal("show-9", (await store.GetAsync(OwnerA, asset.Id, Ct))!.ExternalId);

        // Nothing to change: the record comes back as it is.
        Assert.Equal("New title", Assert.IsType<UpdateOutcome.Updated>(await store.UpdateAsync(OwnerA, asset.Id, new AssetUpdate(), Ct)).Asset.Desc);
    }

    [Fact]
    public async Task A_deleted_asset_leaves_every_read_at_once_frees_its_external_id_and_its_blobs_go()
    {
        var store = CreateStore();
        var blobs = CreateBlobs();
        var remover = new AssetRemover(store, blobs, new PublishedAssets(store, Clock));
        var asset = await PublishAsync(store, Manifest(OwnerA, "show-1"));
        await blobs.PutAsync(AssetLayout.Master(asset.Id, 1), "#EXTM3U\n"u8.ToArray(), Ct);

        Assert.Null(await remover.DeleteAsync(OwnerB, asset.Id, Ct));
        Assert.True(await blobs.ExistsAsync(AssetLayout.Master(asset.Id, 1), Ct));

        Assert.Equal(asset.Id, (await remover.DeleteAsync(OwnerA, asset.Id, Ct))!.Id);
        Assert.Null(await store.GetAsync(OwnerA, asset.Id, Ct));
        Assert.Null(await store.FindPublishedAsync(asset.Id, Ct));
        Assert.False(await blobs.ExistsAsync(AssetLayout.Master(asset.Id, 1), Ct));
        Assert.Empty(await store.ListDeletedAsync(10, Ct));   // the tombstone went with the blobs
        Assert.Null(await remover.DeleteAsync(OwnerA, asset.Id, Ct));
        await PublishAsync(store, Manifest(OwnerA, "show-1"));
    }

    [Fact]
    public async Task Autoexpire_deletes_an_asset_that_long_after_it_was_published_and_not_before()
    {
        var store = CreateStore();
        var blobs = CreateBlobs();
        var remover = new AssetRemover(store, blobs, new PublishedAssets(store, Clock));
        var expiring = await PublishAsync(store, Manifest() with { AutoexpireHours = 2 });
        var lasting = await PublishAsync(store, Manifest());
        await blobs.PutAsync(AssetLayout.Master(expiring.Id, 1), "#EXTM3U\n"u8.ToArray(), Ct);
        Assert.Equal(Millis() + (2 * 3_600_000), expiring.Expires);

        Clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Empty(await remover.SweepAsync(100, Ct));
        Assert.NotNull(await store.GetAsync(OwnerA, expiring.Id, Ct));

        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([expiring.Id], await remover.SweepAsync(100, Ct));
        Assert.Null(await store.GetAsync(OwnerA, expiring.Id, Ct));
        Assert.False(await blobs.ExistsAsync(AssetLayout.Master(expiring.Id, 1), Ct));
        Assert.NotNull(await store.GetAsync(OwnerA, lasting.Id, Ct));
        Assert.Empty(await remover.SweepAsync(100, Ct));
    }

    [Fact]
    public async Task The_sweep_finishes_a_delete_that_stopped_after_the_tombstone()
    {
        var store = CreateStore();
        var blobs = CreateBlobs();
        var asset = await PublishAsync(store, Manifest());
        await blobs.PutAsync(AssetLayout.Master(asset.Id, 1), "#EXTM3U\n"u8.ToArray(), Ct);
        await store.MarkDeletedAsync(OwnerA, asset.Id, Ct);   // ... and the process died here

        Assert.Equal([asset.Id], await new AssetRemover(store, blobs, new PublishedAssets(store, Clock)).SweepAsync(100, Ct));
        Assert.False(await blobs.ExistsAsync(AssetLayout.Master(asset.Id, 1), Ct));
        Assert.Empty(await store.ListDeletedAsync(10, Ct));
    }

    /// <summary>Records hold lists, so compare member by member (with their contents).</summary>
    protected static void AssertSame(AssetManifest expected, AssetManifest actual)
    {
        Assert.Equal(
            (expected.Id, expected.Owner, expected.Job, expected.Version, expected.ExternalId, expected.Desc, expected.Duration, expected.SliceDuration, expected.Slices),
            (actual.Id, actual.Owner, actual.Job, actual.Version, actual.ExternalId, actual.Desc, actual.Duration, actual.SliceDuration, actual.Slices));
        Assert.Equal(expected.Meta, actual.Meta);
        Assert.Equal(expected.Rays, actual.Rays);
        Assert.Equal(expected.Renditions, actual.Renditions);
        Assert.Equal(expected.BreakOffsets, actual.BreakOffsets);
        Assert.Equal(expected.Thumbnails, actual.Thumbnails);
        Assert.Equal(
            (expected.Poster, expected.OrigFilename, expected.Created, expected.AutoexpireHours, expected.SkipDrm, expected.State),
            (actual.Poster, actual.OrigFilename, actual.Created, actual.AutoexpireHours, actual.SkipDrm, actual.State));
    }
}
