using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// Where the media settings put things on the asset's timeline (pure): the cuts <c>breaks</c> makes in the
/// trimmed source, the asset's length after them and <c>max_slices</c>, and the break offsets the asset lists.
/// </summary>
/// <param name="Cuts">In the input's timeline (0 = the trim window's start), in order.</param>
/// <param name="Duration">The asset's length: the window, less the cuts, capped by <c>max_slices</c>.</param>
/// <param name="BreakOffsets">In the asset's timeline, in order; none past its end.</param>
public sealed record MediaPlan(IReadOnlyList<Cut> Cuts, TimeSpan Duration, IReadOnlyList<BreakOffset> BreakOffsets)
{
    /// <param name="windowStart">Where the trim window starts in the source (breaks are given in source seconds).</param>
    /// <param name="windowDuration">How long the trim window is.</param>
    public static MediaPlan Create(MediaSettings settings, TimeSpan windowStart, TimeSpan windowDuration)
    {
        // A cut, clipped to the window and moved into the input's timeline; cuts outside the window vanish.
        var cuts = settings.Breaks.Where(b => b.IsCut)
            .Select(b => Clip(b, windowStart, windowDuration))
            .Where(c => c.End > c.Start)
            .OrderBy(c => c.Start)
            .ToList();
        var kept = windowDuration - Removed(cuts, TimeSpan.MaxValue);
        var duration = settings.MaxDuration is { } max && max < kept ? max : kept;

        var offsets = new List<BreakOffset>();
        foreach (var b in settings.Breaks)
        {
            var range = Clip(b, windowStart, windowDuration);
            var at = AssetTime(cuts, range.Start);
            if (at > duration || (b.IsCut && range.End <= range.Start))
            {
                continue;
            }

            var length = b.IsCut ? range.End - range.Start : Min(AssetTime(cuts, range.End), duration) - at;
            offsets.Add(new BreakOffset(b.IsCut ? BreakOffset.AdBreak : BreakOffset.Boundary, Seconds(at), Seconds(length), b.Label));
        }

        return new MediaPlan(cuts, duration, offsets.OrderBy(o => o.Offset).ToList());
    }

    /// <summary>The bugs with their images, a negative start counted back from the asset's end, 0 ms meaning "to the end".</summary>
    public IReadOnlyList<BugOverlay> Overlays(IReadOnlyList<Bug> bugs, IReadOnlyList<string> imagePaths) =>
        bugs.Select((b, i) =>
        {
            var start = TimeSpan.FromMilliseconds(b.StartMs);
            start = start < TimeSpan.Zero ? Max(Duration + start, TimeSpan.Zero) : start;
            return new BugOverlay(imagePaths[i], start, b.DurationMs > 0 ? start + TimeSpan.FromMilliseconds(b.DurationMs) : null);
        }).ToList();

    /// <summary>The ad break offsets (in seconds) the playlists mark.</summary>
    public IReadOnlyList<double> AdBreaks => BreakOffsets.Where(o => o.BreakType == BreakOffset.AdBreak).Select(o => o.Offset).ToList();

    private static Cut Clip(BreakRange b, TimeSpan windowStart, TimeSpan windowDuration)
    {
        var start = Max(TimeSpan.FromSeconds(b.Start) - windowStart, TimeSpan.Zero);
        var end = Min(TimeSpan.FromSeconds(b.Stop) - windowStart, windowDuration);
        return new Cut(Min(start, windowDuration), Max(end, TimeSpan.Zero));
    }

    /// <summary>An input time on the asset's timeline: less what the cuts before it removed (inside a cut: the cut's point).</summary>
    private static TimeSpan AssetTime(IReadOnlyList<Cut> cuts, TimeSpan input) => input - Removed(cuts, input);

    private static TimeSpan Removed(IReadOnlyList<Cut> cuts, TimeSpan before) =>
        cuts.Where(c => c.Start < before).Aggregate(TimeSpan.Zero, (sum, c) => sum + (Min(c.End, before) - c.Start));

    private static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 3);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
