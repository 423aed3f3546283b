using CloudSlicer.Media;

namespace CloudSlicer.Slicer.Handlers.Parts;

/// <summary>
/// Where a long asset is cut (pure): every part but the last is <c>Slicer:PartSeconds</c> rounded to whole slices,
/// the last takes the rest (so it is never a sliver), and an asset shorter than two parts is not cut at all.
/// </summary>
public static class PartWindows
{
    /// <returns>Each part's first slice and length in the asset's timeline; one window (the whole) when not split.</returns>
    public static IReadOnlyList<(int FirstSlice, TimeSpan Start, TimeSpan Duration)> Plan(TimeSpan duration, double partSeconds)
    {
        var sliceSeconds = Slices.SliceDuration.TotalSeconds;
        var partSlices = partSeconds <= 0 ? 0 : Math.Max(1, (int)Math.Round(partSeconds / sliceSeconds));
        var partLength = Slices.SliceDuration * partSlices;
        var count = partSlices == 0 ? 1 : Math.Max(1, (int)(duration.Ticks / partLength.Ticks));
        if (count == 1)
        {
            return [(0, TimeSpan.Zero, duration)];
        }

        return [.. Enumerable.Range(0, count).Select(i =>
            (i * partSlices, partLength * i, i == count - 1 ? duration - (partLength * i) : partLength))];
    }
}
