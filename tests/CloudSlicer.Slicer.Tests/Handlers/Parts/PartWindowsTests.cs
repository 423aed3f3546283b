using CloudSlicer.Slicer.Handlers.Parts;

namespace CloudSlicer.Slicer.Tests.Handlers.Parts;

public sealed class PartWindowsTests
{
    [Fact]
    public void A_long_asset_is_cut_on_whole_slices_and_the_last_part_takes_the_rest()
    {
        var windows = PartWindows.Plan(TimeSpan.FromSeconds(25), 8.192);

        Assert.Equal([0, 2, 4], windows.Select(w => w.FirstSlice));
        Assert.Equal([0, 8.192, 16.384], windows.Select(w => Math.Round(w.Start.TotalSeconds, 3)));
        Assert.Equal([8.192, 8.192, 8.616], windows.Select(w => Math.Round(w.Duration.TotalSeconds, 3)));
    }

    [Fact]
    public void Part_seconds_are_rounded_to_whole_slices()
    {
        // 300 s is 73.24 slices: parts of 73 slices (299.008 s).
        var windows = PartWindows.Plan(TimeSpan.FromMinutes(20), 300);

        Assert.Equal([0, 73, 146, 219], windows.Select(w => w.FirstSlice));
        Assert.Equal(1200, windows.Sum(w => w.Duration.TotalSeconds), precision: 6);
    }

    [Theory]
    [InlineData(16.0, 8.192)]   // shorter than two parts
    [InlineData(3600.0, 0.0)]   // 0 never splits
    public void An_asset_shorter_than_two_parts_or_a_zero_setting_is_not_split(double seconds, double partSeconds)
    {
        var window = Assert.Single(PartWindows.Plan(TimeSpan.FromSeconds(seconds), partSeconds));

        Assert.Equal((0, TimeSpan.Zero, TimeSpan.FromSeconds(seconds)), window);
    }
}
