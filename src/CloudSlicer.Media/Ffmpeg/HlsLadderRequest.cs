using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;

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

    /// <summary>Ranges of the input (after the trim window) the asset leaves out (<c>breaks</c>), in order.</summary>
    public IReadOnlyList<Cut> Cuts { get; init; } = [];

    /// <summary>The longest the asset may be, after the cuts (<c>max_slices</c>).</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Fades in asset time (<c>fade</c>).</summary>
    public IReadOnlyList<Fade> Fades { get; init; } = [];

    /// <summary>PNGs burnt in, each an extra input (<c>bug</c>).</summary>
    public IReadOnlyList<BugOverlay> Bugs { get; init; } = [];

    /// <summary>The display aspect the rays were planned at (<c>force_aspect_ratio</c>).</summary>
    public AspectRatio? DisplayAspect { get; init; }

    /// <summary>Source audio tracks mixed into the stereo rendition (<c>mix_atracks</c>); empty: the first track.</summary>
    public IReadOnlyList<AudioMix> AudioMix { get; init; } = [];

    /// <summary>
    /// One part of a long asset (docs/parts.md): the rays only (no audio), their timestamps and slice numbers where
    /// the part sits in the whole asset. <see cref="TrimStart"/> and <see cref="TrimDuration"/> are then the part's
    /// window of the source; cuts, fades, bugs and max_slices are not for parts.
    /// </summary>
    public LadderPart? Part { get; init; }

    /// <summary>The audio rendition alone (the create job of a split source encodes it whole, once); <see cref="Rays"/> may be empty.</summary>
    public bool AudioOnly { get; init; }
}

/// <summary>
/// Where a part of a long asset lies on the slice grid: from <paramref name="FirstSlice"/> to the slice
/// <paramref name="EndSlice"/> (where the next part starts; null for the last part, which runs to the end).
/// </summary>
public sealed record LadderPart(int FirstSlice, int? EndSlice = null)
{
    /// <summary>The part's start in the asset's timeline.</summary>
    public TimeSpan Start => Slices.SliceDuration * FirstSlice;

    /// <summary>
    /// Where the ray's first frame sits in the whole asset: the first frame at or after <see cref="Start"/> on the
    /// ray's frame grid, exactly where a whole-source encode puts it, so frames meet across a join with no overlap.
    /// </summary>
    public TimeSpan FirstFrame(double frameRate) => TimeSpan.FromSeconds(FrameIndex(Start, frameRate) / frameRate);

    /// <summary>
    /// How many frames of the ray the part holds (null for the last part): up to the next part's first frame. A
    /// ray whose rate differs from the source's would otherwise end on a frame the next part also begins with.
    /// </summary>
    public long? Frames(double frameRate) =>
        EndSlice is { } end ? FrameIndex(Slices.SliceDuration * end, frameRate) - FrameIndex(Start, frameRate) : null;

    private static long FrameIndex(TimeSpan at, double frameRate) => (long)Math.Ceiling((at.TotalSeconds * frameRate) - 1e-6);
}
