using System.Globalization;
using System.Text.Json.Nodes;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>
/// The settings that change the media a create job makes (poster, thumbnails, breaks, fades, bugs,
/// aspect, audio mix, timed metadata, slice cap), each parsed once, at create time, from the normalized args.
/// </summary>
public sealed record MediaSettings
{
    /// <summary>Slice length in seconds (as <c>Slices.SliceDuration</c> in CloudSlicer.Media, which Core does not see).</summary>
    public const double SliceSeconds = 4.096;

    public static readonly MediaSettings None = new();

    /// <summary>The asset time of the poster frame; null for the default choice.</summary>
    public TimeSpan? PosterAt { get; init; }

    public Uri? PosterFile { get; init; }

    public PosterSize? PosterSize { get; init; }

    /// <summary>Empty: no thumbnails; otherwise the default size first.</summary>
    public IReadOnlyList<ThumbnailSpec> Thumbnails { get; init; } = [];

    public IReadOnlyList<BreakRange> Breaks { get; init; } = [];

    public IReadOnlyList<Fade> Fades { get; init; } = [];

    public IReadOnlyList<Bug> Bugs { get; init; } = [];

    public AspectRatio? ForceAspectRatio { get; init; }

    public IReadOnlyList<AudioMix> AudioMix { get; init; } = [];

    public IReadOnlyList<TimedMetadata> TimedMetadata { get; init; } = [];

    public int? MaxSlices { get; init; }

    /// <summary>The cap <see cref="MaxSlices"/> puts on the asset's length.</summary>
    public TimeSpan? MaxDuration => MaxSlices is { } n ? TimeSpan.FromSeconds(n * SliceSeconds) : null;

    /// <summary>Reads the media settings from <paramref name="args"/>; false with a message naming the setting on a bad value.</summary>
    public static bool TryParse(JsonObject args, out MediaSettings settings, out string error)
    {
        settings = None;
        error = "";
        var s = new MediaSettings();
        foreach (var (key, value) in args)
        {
            if (!Parsers.TryGetValue(key, out var parse))
            {
                continue;
            }

            if (!SettingText.TryScalar(value, out var text))
            {
                error = $"{key} must be a string or a number, not {value?.ToJsonString() ?? "null"}";
                return false;
            }

            if (!parse(s, text, out s, out error))
            {
                return false;
            }
        }

        settings = s;
        return true;
    }

    private delegate bool Parser(MediaSettings current, string text, out MediaSettings next, out string error);

    private static readonly Dictionary<string, Parser> Parsers = new(StringComparer.Ordinal)
    {
        ["poster"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
            Set(PosterTime.TryParse(t, out var v, out e), c, c with { PosterAt = v }, out n),
        ["poster_file"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
        {
            var ok = SettingText.TryHttpUrl(t, out var v);
            e = ok ? "" : "poster_file: give the image's absolute http or https URL";
            return Set(ok, c, c with { PosterFile = v }, out n);
        },
        ["poster_size"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
            Set(Settings.PosterSize.TryParse(t, out var v, out e), c, c with { PosterSize = v }, out n),
        ["thumbnails"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
            Set(ThumbnailSpec.TryParse(t, out var v, out e), c, c with { Thumbnails = v }, out n),
        ["breaks"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
            Set(BreakRange.TryParse(t, out var v, out e), c, c with { Breaks = v }, out n),
        ["fade"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
            Set(Fade.TryParse(t, out var v, out e), c, c with { Fades = v }, out n),
        ["bug"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
            Set(Bug.TryParse(t, out var v, out e), c, c with { Bugs = v }, out n),
        ["force_aspect_ratio"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
            Set(AspectRatio.TryParse(t, out var v, out e), c, c with { ForceAspectRatio = v }, out n),
        ["mix_atracks"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
            Set(Settings.AudioMix.TryParse(t, out var v, out e), c, c with { AudioMix = v }, out n),
        ["timedmeta"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
            Set(Settings.TimedMetadata.TryParse(t, out var v, out e), c, c with { TimedMetadata = v }, out n),
        ["max_slices"] = (MediaSettings c, string t, out MediaSettings n, out string e) =>
        {
            var ok = int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 1_000_000;
            e = ok ? "" : $"max_slices: '{t}' is not a positive whole number of slices (each {SliceSeconds.ToString(CultureInfo.InvariantCulture)} s)";
            return Set(ok, c, c with { MaxSlices = v }, out n);
        },
    };

    private static bool Set(bool ok, MediaSettings current, MediaSettings parsed, out MediaSettings next)
    {
        next = ok ? parsed : current;
        return ok;
    }
}
