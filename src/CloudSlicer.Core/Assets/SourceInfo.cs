namespace CloudSlicer.Core.Assets;

/// <summary>What ffprobe said about a source, reduced to what planning needs.</summary>
/// <param name="Container">ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2".</param>
/// <param name="Duration">The whole source's duration.</param>
/// <param name="Width">Display width of the first video stream (0 when there is none).</param>
/// <param name="Height">Display height of the first video stream (0 when there is none).</param>
/// <param name="FrameRate">Frames per second of the first video stream (0 when there is none).</param>
/// <param name="HasAudio">Whether the source has an audio stream.</param>
public sealed record SourceInfo(string Container, TimeSpan Duration, int Width, int Height, double FrameRate, bool HasAudio)
{
    public bool HasVideo => Width > 0 && Height > 0;
}
