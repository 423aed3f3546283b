using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Media;

/// <summary>Where the media tools are and how they encode (configuration section <c>Media</c>).</summary>
public sealed class MediaOptions
{
    public const string Section = "Media";
    public const string DefaultX264Preset = "veryfast";
    public const int DefaultAudioKbps = 128;

    [Required] public string FfmpegPath { get; set; } = "ffmpeg";
    [Required] public string FfprobePath { get; set; } = "ffprobe";
    [Required] public string X264Preset { get; set; } = DefaultX264Preset;
    [Range(32, 512)] public int AudioKbps { get; set; } = DefaultAudioKbps;

    /// <summary>ffprobe only reads headers; a source it cannot describe in this long is treated as damaged.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// ffmpeg writes a progress block every 0.5 s even while it seeks or waits on input; this long
    /// without one means it is stuck, and the job should fail rather than hang.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

internal sealed class MediaOptionsValidator : IValidateOptions<MediaOptions>
{
    private static readonly string[] X264Presets =
        ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"];

    public ValidateOptionsResult Validate(string? name, MediaOptions options)
    {
        if (!X264Presets.Contains(options.X264Preset, StringComparer.Ordinal))
        {
            return ValidateOptionsResult.Fail($"Media:X264Preset must be one of {string.Join(", ", X264Presets)}");
        }

        if (options.ProbeTimeout <= TimeSpan.Zero || options.StallTimeout <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Media:ProbeTimeout and Media:StallTimeout must be positive");
        }

        return ValidateOptionsResult.Success;
    }
}
