namespace CloudSlicer.Core.Assets;

/// <summary>One row of the configured ladder table: the most a ray of this height may be.</summary>
public sealed record RayRung(int Height, int VideoKbps, double MaxFrameRate = 30);
