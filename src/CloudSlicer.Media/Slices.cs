namespace CloudSlicer.Media;

/// <summary>The slice grid every rendition is cut on (DESIGN 4).</summary>
public static class Slices
{
    /// <summary>Audio is always resampled to this rate, so a slice is a whole number of AAC frames.</summary>
    public const int AudioSampleRate = 48_000;

    /// <summary>192 AAC frames of 1024 samples: audio slices end exactly on an AAC frame boundary.</summary>
    public const int SamplesPerSlice = 196_608;

    /// <summary>4.096 s, exactly (40,960,000 ticks).</summary>
    public static readonly TimeSpan SliceDuration = TimeSpan.FromTicks(SamplesPerSlice * TimeSpan.TicksPerSecond / AudioSampleRate);
}
