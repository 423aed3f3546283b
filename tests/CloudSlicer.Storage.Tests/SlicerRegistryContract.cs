using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Slicers;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// What every store's slicer registry must do: slicers appear with their kinds when they register, stay
/// alive while they beat, count as gone after three missed beats of their own interval, leave on a clean
/// stop, and are forgotten once long stale. Time moves only through <see cref="Clock"/>.
/// </summary>
public abstract class SlicerRegistryContract
{
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);

    protected FakeTimeProvider Clock { get; } = new();

    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>A registry on a fresh, empty store that uses <see cref="Clock"/>.</summary>
    protected abstract Task<ISlicerRegistry> CreateRegistryAsync();

    [Fact]
    public async Task A_registered_slicer_is_listed_alive_with_its_kinds()
    {
        var registry = await CreateRegistryAsync();
        await registry.RegisterAsync(Slicer("box:41:0"), Ct);
        await registry.RegisterAsync(Slicer("box:41:1", kinds: []), Ct);

        var alive = await registry.ListAliveAsync(Ct);

        var now = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(
            [new SlicerRecord("box:41:0", "box", 41, [JobKind.Create], Beat, now, now, null), new SlicerRecord("box:41:1", "box", 41, [], Beat, now, now, null)],
            alive, SlicerRecordComparer.Instance);
    }

    [Fact]
    public async Task A_slicer_that_keeps_beating_stays_alive_and_reports_its_job()
    {
        var registry = await CreateRegistryAsync();
        var started = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await registry.RegisterAsync(Slicer("box:41:0"), Ct);

        for (var i = 0; i < 10; i++)
        {
            Clock.Advance(Beat);
            Assert.True(await registry.BeatAsync("box:41:0", "0123456789abcdef0123456789abcdef", Ct));
        }

        var slicer = Assert.Single(await registry.ListAliveAsync(Ct));
        Assert.Equal((started, Clock.GetUtcNow().ToUnixTimeMilliseconds(), "0123456789abcdef0123456789abcdef"), (slicer.Started, slicer.LastSeen, slicer.Job));
        Assert.True(await registry.BeatAsync("box:41:0", null, Ct));
        Assert.Null(Assert.Single(await registry.ListAliveAsync(Ct)).Job);
    }

    [Fact]
    public async Task A_slicer_is_alive_until_it_misses_three_of_its_own_beats()
    {
        var registry = await CreateRegistryAsync();
        await registry.RegisterAsync(Slicer("box:41:0"), Ct);
        await registry.RegisterAsync(Slicer("slow:7:0") with { BeatInterval = TimeSpan.FromSeconds(20) }, Ct);

        Clock.Advance(Beat * SlicerLiveness.MissedBeats);
        Assert.Equal(["box:41:0", "slow:7:0"], (await registry.ListAliveAsync(Ct)).Select(s => s.Id));

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["slow:7:0"], (await registry.ListAliveAsync(Ct)).Select(s => s.Id));

        // A late beat brings a stale slicer back: it was only slow, not dead.
        Assert.True(await registry.BeatAsync("box:41:0", null, Ct));
        Assert.Equal(["box:41:0", "slow:7:0"], (await registry.ListAliveAsync(Ct)).Select(s => s.Id));
    }

    [Fact]
    public async Task A_removed_slicer_is_gone_and_its_beat_says_so()
    {
        var registry = await CreateRegistryAsync();
        await registry.RegisterAsync(Slicer("box:41:0"), Ct);
        await registry.RegisterAsync(Slicer("box:41:1"), Ct);

        await registry.RemoveAsync("box:41:0", Ct);
        await registry.RemoveAsync("box:41:0", Ct);   // twice is harmless

        Assert.Equal(["box:41:1"], (await registry.ListAliveAsync(Ct)).Select(s => s.Id));
        Assert.False(await registry.BeatAsync("box:41:0", null, Ct));
    }

    [Fact]
    public async Task Registering_an_id_again_replaces_the_old_slicer()
    {
        var registry = await CreateRegistryAsync();
        await registry.RegisterAsync(Slicer("box:1:0", kinds: []), Ct);
        await registry.BeatAsync("box:1:0", "0123456789abcdef0123456789abcdef", Ct);
        Clock.Advance(TimeSpan.FromHours(1));

        // A container restarted: same host name, pid 1 again.
        await registry.RegisterAsync(Slicer("box:1:0"), Ct);

        var slicer = Assert.Single(await registry.ListAliveAsync(Ct));
        var now = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal([JobKind.Create], slicer.Kinds);
        Assert.Equal((now, null), (slicer.Started, slicer.Job));
    }

    [Fact]
    public async Task Slicers_stale_for_longer_than_asked_are_forgotten()
    {
        var registry = await CreateRegistryAsync();
        await registry.RegisterAsync(Slicer("crashed:9:0"), Ct);
        Clock.Advance(TimeSpan.FromHours(2));
        await registry.RegisterAsync(Slicer("box:41:0"), Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, await registry.ForgetStaleAsync(TimeSpan.FromHours(1), Ct));

        Assert.False(await registry.BeatAsync("crashed:9:0", null, Ct));
        Assert.True(await registry.BeatAsync("box:41:0", null, Ct));
    }

    private static SlicerRegistration Slicer(string id, JobKind[]? kinds = null)
    {
        var parts = id.Split(':');
        return new SlicerRegistration(id, parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), kinds ?? [JobKind.Create], Beat);
    }

    // Records compare lists by reference; this compares them by content.
    private sealed class SlicerRecordComparer : IEqualityComparer<SlicerRecord>
    {
        public static readonly SlicerRecordComparer Instance = new();

        public bool Equals(SlicerRecord? x, SlicerRecord? y) =>
            x is not null && y is not null && x.Kinds.SequenceEqual(y.Kinds) && x == y with { Kinds = x.Kinds };

        public int GetHashCode(SlicerRecord obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
