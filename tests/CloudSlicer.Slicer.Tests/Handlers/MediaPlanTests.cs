using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Slicer.Handlers;

namespace CloudSlicer.Slicer.Tests.Handlers;

public class MediaPlanTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Cuts_shorten_the_asset_and_each_leaves_an_ad_break_where_it_was()
    {
        var settings = new MediaSettings { Breaks = [new(3, 5, null), new(7, 8, null), new(1, 2, "intro")] };

        var plan = MediaPlan.Create(settings, TimeSpan.Zero, S(10));

        Assert.Equal([new Cut(S(3), S(5)), new Cut(S(7), S(8))], plan.Cuts);
        Assert.Equal(S(7), plan.Duration);
        Assert.Equal(
            [new BreakOffset("BOUNDARY", 1, 1, "intro"), new BreakOffset("AD BREAK", 3, 2), new BreakOffset("AD BREAK", 5, 1)],
            plan.BreakOffsets);
        Assert.Equal([3.0, 5.0], plan.AdBreaks);
    }

    [Fact]
    public void Breaks_are_in_source_seconds_and_a_trim_window_clips_them()
    {
        var settings = new MediaSettings { Breaks = [new(1, 3, null), new(6, 20, null), new(30, 40, null)] };

        var plan = MediaPlan.Create(settings, S(2), S(6));   // the window is source 2..8

        Assert.Equal([new Cut(S(0), S(1)), new Cut(S(4), S(6))], plan.Cuts);
        Assert.Equal(S(3), plan.Duration);
        Assert.Equal([new BreakOffset("AD BREAK", 0, 1), new BreakOffset("AD BREAK", 3, 2)], plan.BreakOffsets);
    }

    [Fact]
    public void Max_slices_caps_the_asset_after_the_cuts_and_drops_later_breaks()
    {
        var settings = new MediaSettings { MaxSlices = 1, Breaks = [new(1, 2, null), new(9, 10, null)] };

        var plan = MediaPlan.Create(settings, TimeSpan.Zero, S(20));

        Assert.Equal(S(4.096), plan.Duration);
        Assert.Equal([new BreakOffset("AD BREAK", 1, 1)], plan.BreakOffsets);
    }

    [Fact]
    public void A_bug_with_a_negative_start_counts_back_from_the_end()
    {
        var plan = MediaPlan.Create(new MediaSettings(), TimeSpan.Zero, S(10));

        var overlays = plan.Overlays([new Bug(new Uri("https://x/a.png"), -3000, 1000), new Bug(new Uri("https://x/b.png"), 2000, 0)], ["/a", "/b"]);

        Assert.Equal([new BugOverlay("/a", S(7), S(8)), new BugOverlay("/b", S(2), null)], overlays);
    }
}
