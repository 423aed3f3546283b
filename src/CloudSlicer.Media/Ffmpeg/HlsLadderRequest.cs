using CloudSlicer.Core.Assets;

namespace CloudSlicer.Media.Ffmpeg;

/// <summary>What one ladder encode makes: every ray, plus the audio rendition when <see cref="HasAudio"/>.</summary>
/// <param name="Input">Absolute path of the downloaded source.</param>
/// <param name="OutputDirectory">Absolute path; rays land in <c>{OutputDirectory}/{ray}/</c>, audio in <c>{OutputDirectory}/audio/</c>.</param>
/// <param name="Rays">From <see cref="LadderPlanner"/>; display sizes, already even.</param>
/// <param name="HasAudio">Whether the source has an audio stream to make the audio rendition from.</param>
public sealed record HlsLadderRequest(string Input, string OutputDirectory, IReadOnlyList<Ray> Rays, bool HasAudio)
{
    /// <summary>Where in the source the asset starts; null for the beginning.</summary>
    public TimeSpan? TrimStart { get; init; }

    /// <summary>How much of the source (from <see cref="TrimStart"/>) the asset keeps; null for all of it.</summary>
    public TimeSpan? TrimDuration { get; init; }

    /// <summary>x264 preset; tests use "ultrafast", production takes <see cref="MediaOptions.X264Preset"/>.</summary>
    public string Preset { get; init; } = MediaOptions.DefaultX264Preset;

    public int AudioKbps { get; init; } = MediaOptions.DefaultAudioKbps;
}
