namespace CloudSlicer.Slicer.Handlers.Clips;

/// <summary>
/// The part <c>[StartMs, EndMs)</c> of the source asset's timeline a clip keeps. A window from the asset's start or
/// to its end is open on that side, so the AAC priming frame before 0 and the last frame's padding past the end
/// stay with the clip, and its first and last slices are reused whole.
/// </summary>
public sealed record ClipWindow(long StartMs, long EndMs, bool FromStart, bool ToEnd)
{
    private const long Open = 1_000_000_000_000;

    public static ClipWindow Of(long offsetMs, long durationMs, double assetSeconds)
    {
        var assetMs = (long)Math.Round(assetSeconds * 1000);
        var end = Math.Min(offsetMs + durationMs, assetMs);
        return new ClipWindow(offsetMs, end, offsetMs <= 0, end >= assetMs);
    }

    public double Start => FromStart ? double.NegativeInfinity : StartMs / 1000.0;

    public double End => ToEnd ? double.PositiveInfinity : EndMs / 1000.0;

    /// <summary>Where samples are selected from, in ms (open ends far outside any asset).</summary>
    public long SelectStartMs => FromStart ? -Open : StartMs;

    public long SelectEndMs => ToEnd ? Open : EndMs;

    public long DurationMs => EndMs - StartMs;
}
