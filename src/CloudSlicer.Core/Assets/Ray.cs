namespace CloudSlicer.Core.Assets;

/// <summary>One rendition of an asset's adaptive ladder, lettered <c>a</c> (lowest) upward.</summary>
public sealed record Ray(string Name, int Width, int Height, double FrameRate, int VideoKbps)
{
    /// <summary>Peak bitrate the HLS master announces: the VBV cap we ask x264 for.</summary>
    public int MaxKbps => VideoKbps * 3 / 2;
}
