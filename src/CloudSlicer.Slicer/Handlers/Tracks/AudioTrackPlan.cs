using System.Globalization;
using System.Text.RegularExpressions;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Slicer.Handlers.Tracks;

/// <summary>
/// The renditions a track job adds to an asset as its current record stands: track n is <c>audio{n}</c> (AAC-LC)
/// and, with <c>dolby</c>, <c>ec3_{n}</c> (E-AC-3) beside it, numbered on after every track name the asset has
/// used, so a player or cache never sees one name stand for two tracks. The limit is checked against the record
/// too: the endpoint checked it at create time, but another job may have added tracks since.
/// </summary>
public static partial class AudioTrackPlan
{
    public const string AacPrefix = "audio";
    public const string Eac3Prefix = "ec3_";

    /// <summary>A planned track: its spec, its AAC rendition, and its E-AC-3 one when <c>dolby</c> asked for it.</summary>
    public sealed record PlannedTrack(AudioTrackSource Source, Rendition Aac, Rendition? Eac3)
    {
        public IReadOnlyList<AudioTrackOutput> Outputs(int aacKbps) =>
            Eac3 is { } e
                ? [new(Aac.Name, "aac", aacKbps, 2), new(e.Name, "eac3", e.Kbps, 6)]
                : [new(Aac.Name, "aac", aacKbps, 2)];

        public IEnumerable<Rendition> Renditions => Eac3 is { } e ? [Aac, e] : [Aac];
    }

    /// <summary>Alternate tracks the asset has: its AAC renditions other than its own audio (an E-AC-3 one belongs to its AAC track).</summary>
    public static int AlternateCount(AssetManifest asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return asset.Renditions.Count(IsAlternateAac);
    }

    /// <exception cref="JobFailedException">The tracks would pass <see cref="AudioTrackSpec.MaxTracks"/> (permanent).</exception>
    public static IReadOnlyList<PlannedTrack> Plan(AssetManifest asset, IReadOnlyList<AudioTrackSource> tracks, int aacKbps)
    {
        ArgumentNullException.ThrowIfNull(asset);
        ArgumentNullException.ThrowIfNull(tracks);
        var existing = AlternateCount(asset);
        if (existing + tracks.Count > AudioTrackSpec.MaxTracks)
        {
            throw new JobFailedException(string.Create(CultureInfo.InvariantCulture,
                $"The asset has {existing} alternate audio tracks; adding {tracks.Count} would pass the limit of {AudioTrackSpec.MaxTracks} per asset"))
            {
                Permanent = true,
            };
        }

        var next = asset.Renditions.Where(r => r.Kind == Rendition.Audio).Select(r => Number(r.Name)).DefaultIfEmpty(0).Max() + 1;
        return tracks.Select((t, i) =>
        {
            var n = Invariant(next + i);
            var aac = new Rendition(Rendition.Audio, AacPrefix + n, t.Lang, $"{AacPrefix}{n}/index.m3u8", aacKbps, Label(t), "aac");
            var eac3 = t.Dolby
                ? new Rendition(Rendition.Audio, Eac3Prefix + n, t.Lang, $"{Eac3Prefix}{n}/index.m3u8", FfmpegCommands.Eac3Kbps, Label(t), "eac3")
                : null;
            return new PlannedTrack(t, aac, eac3);
        }).ToList();
    }

    private static bool IsAlternateAac(Rendition r) =>
        r.Kind == Rendition.Audio && r.Codec != "eac3" && r.Name != FfmpegCommands.AudioRendition;

    /// <summary>The player's label: <c>desc</c>, else the language.</summary>
    private static string Label(AudioTrackSource t) => t.Desc.Length > 0 ? t.Desc : t.Lang;

    /// <summary>n of <c>audio{n}</c> or <c>ec3_{n}</c>; 0 for any other name (the asset's own <c>audio</c>).</summary>
    private static int Number(string name) =>
        TrackName().Match(name) is { Success: true } m && int.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string Invariant(int n) => n.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^(?:audio|ec3_)(?<n>[0-9]{1,6})$")]
    private static partial Regex TrackName();
}
