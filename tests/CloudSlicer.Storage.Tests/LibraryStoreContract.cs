using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Libraries;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// What every <see cref="ILibraryStore"/> must do, whatever the database: libraries owned and shared, the
/// owner's own live assets only, owner isolation (another owner's library is not found and cannot be
/// changed), the copy rule, deleted assets leaving their libraries, and the Slicebot <c>libraries</c> join.
/// A backend's test class derives from this and opens the three stores on one fresh database per test.
/// </summary>
public abstract class LibraryStoreContract
{
    private static CancellationToken Ct => CancellationToken.None;

    protected FakeTimeProvider Clock { get; } = new();

    /// <summary>Fresh, empty stores on one database and <see cref="Clock"/>.</summary>
    protected abstract (ILibraryStore Libraries, IAssetStore Assets, IOwnerStore Owners) CreateStores();

    private sealed record World(ILibraryStore Libraries, IAssetStore Assets, string Alice, string Bob, string Carol);

    private async Task<World> WorldAsync()
    {
        var (libraries, assets, owners) = CreateStores();
        var alice = (await owners.AddOwnerAsync("alice", Ct)).Owner;
        var bob = (await owners.AddOwnerAsync("bob", Ct)).Owner;
        var carol = (await owners.AddOwnerAsync("carol", Ct)).Owner;
        return new World(libraries, assets, alice, bob, carol);
    }

    private static async Task<string> AssetAsync(World world, string owner)
    {
        var manifest = new AssetManifest { Id = Core.Ids.New(), Owner = owner, Job = Core.Ids.New(), Desc = "Pilot", OrigFilename = "pilot.mp4" };
        return Assert.IsType<PublishOutcome.Published>(await world.Assets.PublishAsync(manifest, false, Ct)).Asset.Id;
    }

    private static Library Changed(LibraryOutcome outcome) => Assert.IsType<LibraryOutcome.Changed>(outcome).Library;

    [Fact]
    public async Task A_new_library_is_empty_and_listed_for_its_owner_only()
    {
        var w = await WorldAsync();
        var created = await w.Libraries.CreateAsync(w.Alice, "Promos", Ct);

        Assert.NotNull(created);
        Assert.True(Core.Ids.IsValid(created.Id));
        Assert.Equal((w.Alice, "Promos", Clock.GetUtcNow().ToUnixTimeMilliseconds()), (created.Owner, created.Desc, created.Created));
        Assert.Empty(created.Assets);
        Assert.Empty(created.SharedWith);
        Assert.Equal([created], await w.Libraries.ListAsync(w.Alice, Ct), new LibraryComparer());
        Assert.Empty(await w.Libraries.ListAsync(w.Bob, Ct));
        Assert.Null(await w.Libraries.GetAsync(w.Bob, created.Id, Ct));
    }

    [Fact]
    public async Task Only_the_owners_own_live_assets_are_added_in_the_order_given_and_others_come_back_as_missing()
    {
        var w = await WorldAsync();
        var library = (await w.Libraries.CreateAsync(w.Alice, "Promos", Ct))!;
        var one = await AssetAsync(w, w.Alice);
        var two = await AssetAsync(w, w.Alice);
        var bobs = await AssetAsync(w, w.Bob);
        var unknown = Core.Ids.New();

        var outcome = Assert.IsType<LibraryOutcome.Changed>(await w.Libraries.AddAssetsAsync(w.Alice, library.Id, [two, bobs, one, two, unknown], Ct));

        Assert.Equal([two, one], outcome.Library.Assets);
        Assert.Equal([bobs, unknown], outcome.Missing);
        Assert.Equal([two, one], Changed(await w.Libraries.AddAssetsAsync(w.Alice, library.Id, [one], Ct)).Assets);
    }

    [Fact]
    public async Task Removing_takes_assets_out_and_names_those_that_were_not_in_the_library()
    {
        var w = await WorldAsync();
        var library = (await w.Libraries.CreateAsync(w.Alice, "Promos", Ct))!;
        var one = await AssetAsync(w, w.Alice);
        var two = await AssetAsync(w, w.Alice);
        await w.Libraries.AddAssetsAsync(w.Alice, library.Id, [one, two], Ct);

        var outcome = Assert.IsType<LibraryOutcome.Changed>(await w.Libraries.RemoveAssetsAsync(w.Alice, library.Id, [one, "nonsense"], Ct));

        Assert.Equal([two], outcome.Library.Assets);
        Assert.Equal(["nonsense"], outcome.Missing);
    }

    [Fact]
    public async Task Another_owners_library_is_not_found_and_cannot_be_changed_shared_or_deleted()
    {
        var w = await WorldAsync();
        var library = (await w.Libraries.CreateAsync(w.Alice, "Promos", Ct))!;
        var alices = await AssetAsync(w, w.Alice);
        var bobs = await AssetAsync(w, w.Bob);
        await w.Libraries.AddAssetsAsync(w.Alice, library.Id, [alices], Ct);

        Assert.IsType<LibraryOutcome.NotFound>(await w.Libraries.AddAssetsAsync(w.Bob, library.Id, [bobs], Ct));
        Assert.IsType<LibraryOutcome.NotFound>(await w.Libraries.RemoveAssetsAsync(w.Bob, library.Id, [alices], Ct));
        Assert.IsType<LibraryOutcome.NotFound>(await w.Libraries.ShareAsync(w.Bob, library.Id, w.Bob, Ct));
        Assert.IsType<LibraryOutcome.NotFound>(await w.Libraries.ShareAsync(w.Bob, library.Id, w.Carol, Ct));
        Assert.IsType<LibraryOutcome.NotFound>(await w.Libraries.UnshareAsync(w.Bob, library.Id, w.Carol, Ct));
        Assert.False(await w.Libraries.DeleteAsync(w.Bob, library.Id, Ct));
        Assert.False(await w.Libraries.CanReadAsync(w.Bob, alices, Ct));

        var unchanged = (await w.Libraries.GetAsync(w.Alice, library.Id, Ct))!;
        Assert.Equal([alices], unchanged.Assets);
        Assert.Empty(unchanged.SharedWith);
    }

    [Fact]
    public async Task A_share_shows_the_library_to_that_owner_who_may_read_its_assets_but_not_change_it()
    {
        var w = await WorldAsync();
        var library = (await w.Libraries.CreateAsync(w.Alice, "Promos", Ct))!;
        var alices = await AssetAsync(w, w.Alice);
        var bobs = await AssetAsync(w, w.Bob);
        await w.Libraries.AddAssetsAsync(w.Alice, library.Id, [alices], Ct);

        Assert.Equal([w.Bob], Changed(await w.Libraries.ShareAsync(w.Alice, library.Id, w.Bob, Ct)).SharedWith);
        Assert.Equal([w.Bob], Changed(await w.Libraries.ShareAsync(w.Alice, library.Id, w.Bob, Ct)).SharedWith);

        Assert.Equal([library.Id], (await w.Libraries.ListAsync(w.Bob, Ct)).Select(l => l.Id));
        Assert.Equal([alices], (await w.Libraries.GetAsync(w.Bob, library.Id, Ct))!.Assets);
        Assert.True(await w.Libraries.CanReadAsync(w.Bob, alices, Ct));
        Assert.False(await w.Libraries.CanReadAsync(w.Carol, alices, Ct));
        Assert.IsType<LibraryOutcome.NotOwner>(await w.Libraries.AddAssetsAsync(w.Bob, library.Id, [bobs], Ct));
        Assert.IsType<LibraryOutcome.NotOwner>(await w.Libraries.ShareAsync(w.Bob, library.Id, w.Carol, Ct));
        Assert.IsType<LibraryOutcome.NotOwner>(await w.Libraries.RemoveAssetsAsync(w.Bob, library.Id, [alices], Ct));
        Assert.False(await w.Libraries.DeleteAsync(w.Bob, library.Id, Ct));

        Assert.Empty(Changed(await w.Libraries.UnshareAsync(w.Alice, library.Id, w.Bob, Ct)).SharedWith);
        Assert.Empty(await w.Libraries.ListAsync(w.Bob, Ct));
        Assert.False(await w.Libraries.CanReadAsync(w.Bob, alices, Ct));
    }

    [Fact]
    public async Task Sharing_with_an_unknown_owner_is_refused_and_with_oneself_changes_nothing()
    {
        var w = await WorldAsync();
        var library = (await w.Libraries.CreateAsync(w.Alice, "Promos", Ct))!;

        Assert.IsType<LibraryOutcome.UnknownOwner>(await w.Libraries.ShareAsync(w.Alice, library.Id, Core.Ids.New(), Ct));
        Assert.Empty(Changed(await w.Libraries.ShareAsync(w.Alice, library.Id, w.Alice, Ct)).SharedWith);
    }

    [Fact]
    public async Task An_owner_reads_its_own_assets_and_nobody_reads_a_deleted_one()
    {
        var w = await WorldAsync();
        var library = (await w.Libraries.CreateAsync(w.Alice, "Promos", Ct))!;
        var alices = await AssetAsync(w, w.Alice);
        await w.Libraries.AddAssetsAsync(w.Alice, library.Id, [alices], Ct);
        await w.Libraries.ShareAsync(w.Alice, library.Id, w.Bob, Ct);
        Assert.True(await w.Libraries.CanReadAsync(w.Alice, alices, Ct));
        Assert.False(await w.Libraries.CanReadAsync(w.Alice, Core.Ids.New(), Ct));

        await w.Assets.MarkDeletedAsync(w.Alice, alices, Ct);

        Assert.False(await w.Libraries.CanReadAsync(w.Alice, alices, Ct));
        Assert.False(await w.Libraries.CanReadAsync(w.Bob, alices, Ct));
        Assert.Empty((await w.Libraries.GetAsync(w.Bob, library.Id, Ct))!.Assets);
        Assert.Empty(await w.Libraries.LibrariesOfAsync(w.Alice, [alices], Ct));

        // Purging the tombstone takes its membership rows with it.
        await w.Assets.PurgeAsync(alices, Ct);
        Assert.Empty((await w.Libraries.GetAsync(w.Alice, library.Id, Ct))!.Assets);
    }

    [Fact]
    public async Task Deleting_a_library_keeps_its_assets_and_ends_its_shares()
    {
        var w = await WorldAsync();
        var library = (await w.Libraries.CreateAsync(w.Alice, "Promos", Ct))!;
        var alices = await AssetAsync(w, w.Alice);
        await w.Libraries.AddAssetsAsync(w.Alice, library.Id, [alices], Ct);
        await w.Libraries.ShareAsync(w.Alice, library.Id, w.Bob, Ct);

        Assert.True(await w.Libraries.DeleteAsync(w.Alice, library.Id, Ct));

        Assert.Empty(await w.Libraries.ListAsync(w.Alice, Ct));
        Assert.Empty(await w.Libraries.ListAsync(w.Bob, Ct));
        Assert.False(await w.Libraries.CanReadAsync(w.Bob, alices, Ct));
        Assert.NotNull(await w.Assets.GetAsync(w.Alice, alices, Ct));
    }

    [Fact]
    public async Task Libraries_of_assets_lists_each_assets_library_ids_oldest_library_first()
    {
        var w = await WorldAsync();
        var first = (await w.Libraries.CreateAsync(w.Alice, "One", Ct))!;
        var second = (await w.Libraries.CreateAsync(w.Alice, "Two", Ct))!;
        var one = await AssetAsync(w, w.Alice);
        var two = await AssetAsync(w, w.Alice);
        await w.Libraries.AddAssetsAsync(w.Alice, second.Id, [one], Ct);
        await w.Libraries.AddAssetsAsync(w.Alice, first.Id, [one], Ct);

        var of = await w.Libraries.LibrariesOfAsync(w.Alice, [one, two], Ct);

        Assert.Equal([first.Id, second.Id], of[one]);
        Assert.False(of.ContainsKey(two));
        Assert.Empty(await w.Libraries.LibrariesOfAsync(w.Bob, [one], Ct));
    }

    [Fact]
    public async Task Joining_by_name_or_id_adds_the_asset_creates_a_library_for_a_new_name_and_skips_an_unknown_id()
    {
        var w = await WorldAsync();
        var promos = (await w.Libraries.CreateAsync(w.Alice, "Promos", Ct))!;
        var byId = (await w.Libraries.CreateAsync(w.Alice, "Trailers", Ct))!;
        var bobsPromos = (await w.Libraries.CreateAsync(w.Bob, "Promos", Ct))!;
        var asset = await AssetAsync(w, w.Alice);
        var unknownId = Core.Ids.New();

        var join = await w.Libraries.JoinAsync(w.Alice, asset, ["Promos", byId.Id, "Archive", unknownId, bobsPromos.Id], Ct);

        var archive = Assert.Single(await w.Libraries.ListAsync(w.Alice, Ct), l => l.Desc == "Archive");
        Assert.Equal([promos.Id, byId.Id, archive.Id], join.Joined);
        Assert.Equal([unknownId, bobsPromos.Id], join.Unmatched);
        Assert.Equal([asset], archive.Assets);
        Assert.Equal([asset], (await w.Libraries.GetAsync(w.Alice, promos.Id, Ct))!.Assets);
        Assert.Empty((await w.Libraries.GetAsync(w.Bob, bobsPromos.Id, Ct))!.Assets);
    }

    [Fact]
    public async Task Joining_with_another_owners_asset_changes_nothing()
    {
        var w = await WorldAsync();
        var promos = (await w.Libraries.CreateAsync(w.Alice, "Promos", Ct))!;
        var bobs = await AssetAsync(w, w.Bob);

        var join = await w.Libraries.JoinAsync(w.Alice, bobs, ["Promos", "New"], Ct);

        Assert.Empty(join.Joined);
        Assert.Equal([promos.Id], (await w.Libraries.ListAsync(w.Alice, Ct)).Select(l => l.Id));
        Assert.Empty((await w.Libraries.GetAsync(w.Alice, promos.Id, Ct))!.Assets);
    }

    private sealed class LibraryComparer : IEqualityComparer<Library>
    {
        public bool Equals(Library? x, Library? y) =>
            x is not null && y is not null && (x.Id, x.Owner, x.Desc, x.Created) == (y.Id, y.Owner, y.Desc, y.Created)
            && x.Assets.SequenceEqual(y.Assets) && x.SharedWith.SequenceEqual(y.SharedWith);

        public int GetHashCode(Library obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
