using System.Text.Json.Nodes;

namespace CloudSlicer.Core.Assets;

/// <summary>
/// One published version of an asset: what it is made of and what the customer said about it. The
/// publisher builds it, the asset store keeps it (the record is the asset: it is written last, after every
/// file, and switching it is what publishes a version), and the content server and the asset API read it.
/// Times are Unix milliseconds; durations seconds.
/// </summary>
public sealed record AssetManifest
{
    public const string Ready = "ready";

    public required string Id { get; init; }

    public required string Owner { get; init; }

    /// <summary>The job that made this version (null for records made outside a job, e.g. tests).</summary>
    public string? Job { get; init; }

    /// <summary>1 for the first version; each later job that changes the asset publishes the next.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The customer's own id, unique per owner among live assets.</summary>
    public string? ExternalId { get; init; }

    public string Desc { get; init; } = "";

    /// <summary>The asset's <c>meta</c>: field names to strings (<c>meta</c>) or whole numbers (<c>meta_int</c>).</summary>
    public IReadOnlyDictionary<string, AssetMetaValue> Meta { get; init; } = new Dictionary<string, AssetMetaValue>();

    /// <summary>Seconds of the asset's timeline (after trims and cut breaks).</summary>
    public double Duration { get; init; }

    public double SliceDuration { get; init; }

    /// <summary>How many slices each ray has.</summary>
    public int Slices { get; init; }

    public IReadOnlyList<Ray> Rays { get; init; } = [];

    /// <summary>Renditions besides the rays (the audio rendition today; alternate audio and captions next).</summary>
    public IReadOnlyList<Rendition> Renditions { get; init; } = [];

    /// <summary>Set by the <c>breaks</c> setting, in the asset's timeline.</summary>
    public IReadOnlyList<BreakOffset> BreakOffsets { get; init; } = [];

    /// <summary>The poster's path inside the asset (e.g. <c>poster.jpg</c>), or null when it has none.</summary>
    public string? Poster { get; init; }

    /// <summary>Thumbnail sets (one per size), a thumbnail per slice each.</summary>
    public IReadOnlyList<ThumbnailSet> Thumbnails { get; init; } = [];

    /// <summary>The source's file name (the last segment of its URL path).</summary>
    public string OrigFilename { get; init; } = "";

    public long Created { get; init; }

    /// <summary>The <c>autoexpire</c> setting in hours; 0 when the asset does not expire.</summary>
    public int AutoexpireHours { get; init; }

    /// <summary>When the asset is deleted (Unix ms): publish time plus <see cref="AutoexpireHours"/>; null when never.</summary>
    public long? Expires { get; init; }

    /// <summary>Whether the job said <c>skip_drm</c> (recorded; CloudSlicer has no DRM, so nothing requires it).</summary>
    public bool SkipDrm { get; init; }

    public string State { get; init; } = Ready;

    /// <summary>
    /// The folder of this version's own files inside the asset: <c>v1</c> for a new asset, and for a later version
    /// <c>v{n}-{attempt}</c>, unique to the job attempt that made it, so two jobs racing to publish the same next
    /// version never write into each other's files (the loser's clean-up removes only its own). Null on records made
    /// before folders were named this way: <c>v{Version}</c>.
    /// </summary>
    public string? Folder { get; init; }

    /// <summary>The folder holding this version's own files.</summary>
    public string OwnFolder => Folder ?? FolderName(Version);

    /// <summary>
    /// Top-level names inside the asset (a rendition's directory such as <c>a</c>, <c>poster.jpg</c>) whose files
    /// an earlier version stored, with that version's folder. A name not listed is this version's own. Versions
    /// share files this way, so a job that adds a track stores only the track.
    /// </summary>
    public IReadOnlyDictionary<string, string> Locations { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Files of earlier versions this version no longer uses, relative to the asset's prefix (<c>v1/sub0/</c>,
    /// <c>v2-1a2b3c4d/master.m3u8</c>): removed when the next version is published, not before, since players may still
    /// be reading the previous version.
    /// </summary>
    public IReadOnlyList<string> Superseded { get; init; } = [];

    /// <summary>The MP4 export, once <c>/jobs/create_export</c> made one.</summary>
    public AssetExport? Export { get; init; }

    /// <summary>The top-level names whose files a version's record uses; directories are marked.</summary>
    public IEnumerable<(string Name, bool IsDirectory)> StoredNames()
    {
        var names = Rays.Select(r => (r.Name, true))
            .Concat(Renditions.Select(r => (TopName(r.Path), true)))
            .Concat(Thumbnails.Select(t => (TopName(t.Prefix), true)));
        if (Poster is { } poster)
        {
            names = names.Append((TopName(poster), !poster.Equals(TopName(poster), StringComparison.Ordinal)));
        }

        if (Export is { } export)
        {
            names = names.Append((export.Path, false));
            if (export.CaptionsPath is { } captions)
            {
                names = names.Append((captions, false));
            }
        }

        return names.Distinct();
    }

    /// <summary>Which folder holds the files under <paramref name="path"/> (a path inside the asset, e.g. <c>a/seg_00001.m4s</c>).</summary>
    public string FolderOf(string path) => FolderOf(OwnFolder, Locations, path);

    /// <inheritdoc cref="FolderOf(string)"/>
    public static string FolderOf(string ownFolder, IReadOnlyDictionary<string, string> locations, string path)
    {
        ArgumentNullException.ThrowIfNull(locations);
        return locations.TryGetValue(TopName(path), out var stored) ? stored : ownFolder;
    }

    /// <summary>The folder of a version whose files were not made by a racing attempt (a new asset's <c>v1</c>).</summary>
    public static string FolderName(int version) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"v{version}");

    /// <summary>The top-level name of a path inside an asset: "a" for "a/seg_00001.m4s", "poster.jpg" for itself.</summary>
    public static string TopName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? path : path[..slash];
    }
}

/// <summary>
/// An asset's MP4 export: <paramref name="Path"/> inside the asset (<c>export.mp4</c>), its audio profile
/// (<c>HE-AAC</c> or <c>LC</c>), and the TTML of its captions beside it when it has any.
/// </summary>
public sealed record AssetExport(string Path, string AudioProfile, string? CaptionsPath = null)
{
    /// <summary>Where <c>/jobs/create_export</c> puts the MP4 inside the asset (so <c>hd_exported_url</c> is known without the record).</summary>
    public const string FileName = "export.mp4";
}

/// <summary>A <c>meta</c> value: a string (<c>meta</c>) or a whole number (<c>meta_int</c>).</summary>
public readonly record struct AssetMetaValue(string? Text, long? Number)
{
    public static AssetMetaValue Of(string text) => new(text, null);

    public static AssetMetaValue Of(long number) => new(null, number);

    public JsonNode ToJson() => Number is { } n ? JsonValue.Create(n) : JsonValue.Create(Text ?? "");

    /// <summary>A JSON string or whole number; anything else is not a meta value.</summary>
    public static bool TryFrom(JsonNode? node, out AssetMetaValue value)
    {
        value = default;
        if (node is not JsonValue scalar)
        {
            return false;
        }

        switch (scalar.GetValueKind())
        {
            case System.Text.Json.JsonValueKind.String:
                value = Of(scalar.GetValue<string>());
                return true;
            case System.Text.Json.JsonValueKind.Number when scalar.TryGetValue<long>(out var n):
                value = Of(n);
                return true;
            default:
                return false;
        }
    }
}

/// <summary>
/// A rendition beside the rays, served under <see cref="Path"/>: <see cref="Kind"/> <c>audio</c> (the asset's own
/// audio, then alternate tracks; <see cref="Codec"/> <c>aac</c> or <c>eac3</c> for a <c>dolby</c> track) or
/// <c>subtitles</c> (WebVTT). <see cref="Desc"/> is the label a player shows (the HLS <c>NAME</c>).
/// </summary>
public sealed record Rendition(string Kind, string Name, string Lang, string Path, int Kbps = 0, string Desc = "", string Codec = "")
{
    public const string Audio = "audio";
    public const string Subtitles = "subtitles";
}

/// <summary>
/// One size of thumbnails: a JPEG per slice at <c>{Prefix}{slice:D5}.jpg</c> inside the asset (slice 0 first).
/// <see cref="Prefix"/> is the <c>thumbnails</c> setting's prefix as a path, e.g. <c>thumbs/default/</c>.
/// </summary>
public sealed record ThumbnailSet(string Prefix, int Width, int Height, int Count)
{
    public string File(int slice) => $"{Prefix}{slice:D5}.jpg";
}
