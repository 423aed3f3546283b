using System.Globalization;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Specs;

namespace CloudSlicer.Slicer.Handlers.Captions;

/// <summary>
/// An asset's renditions as a caption job changes them. Subtitle track n is the n-th subtitle rendition; a new
/// track gets a directory name (<c>sub{k}</c>) the asset has never used, in this version or an earlier one still
/// stored, so a player holding the previous version never reads new content under an old name.
/// </summary>
internal sealed class SubtitleTracks
{
    private const string Prefix = "sub";

    private readonly List<Rendition> _renditions;
    private int _next;

    public SubtitleTracks(AssetManifest asset)
    {
        _renditions = [.. asset.Renditions];
        var used = asset.Renditions.Select(r => AssetManifest.TopName(r.Path))
            .Concat(asset.Locations.Keys)
            .Concat(asset.Superseded.Select(s => AssetManifest.TopName(s[(s.IndexOf('/', StringComparison.Ordinal) + 1)..])));
        _next = used.Select(Number).DefaultIfEmpty(-1).Max() + 1;
    }

    public IReadOnlyList<Rendition> Renditions => _renditions;

    public int Count => _renditions.Count(r => r.Kind == Rendition.Subtitles);

    public string NextName() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{_next++}");

    /// <summary>Appends a track; the limit is checked against the record the job read, not the one the endpoint saw.</summary>
    public void Add(Rendition track)
    {
        if (Count >= VttTrackSpec.MaxTracks)
        {
            throw new JobFailedException($"The asset already has {VttTrackSpec.MaxTracks} caption tracks, the most it can have; replace one with /jobs/replace_track_vtt instead") { Permanent = true };
        }

        _renditions.Add(track);
    }

    /// <summary>
    /// Puts <paramref name="track"/> in the place of subtitle track <paramref name="number"/>: same position, and the
    /// same language and label unless the job gave new ones, so players list the same tracks.
    /// </summary>
    public void Replace(int number, Rendition track, VttTrackSource source)
    {
        var positions = _renditions.Select((r, i) => (r, i)).Where(p => p.r.Kind == Rendition.Subtitles).Select(p => p.i).ToList();
        if (number < 0 || number >= positions.Count)
        {
            throw new JobFailedException(string.Create(CultureInfo.InvariantCulture,
                $"The asset has {positions.Count} caption track(s) and no track {number} to replace (numbered from 0)")) { Permanent = true };
        }

        var old = _renditions[positions[number]];
        _renditions[positions[number]] = track with
        {
            Lang = source.Lang.Length > 0 ? source.Lang : old.Lang,
            Desc = source.Desc.Length > 0 ? source.Desc : old.Desc,
        };
    }

    private static int Number(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : -1;
}
