namespace CloudSlicer.Core.Jobs;

/// <summary>What a job asks a slicer to do; each kind has its own endpoint, typed spec and handler.</summary>
public enum JobKind
{
    /// <summary><c>/jobs/create</c>: download a media URL and slice it into a new asset.</summary>
    Create,

    /// <summary><c>/jobs/quickclip</c>: a new asset made of part of an existing one, its inner slices reused.</summary>
    QuickClip,

    /// <summary><c>/jobs/create_export</c>: one downloadable MP4 of an asset.</summary>
    Export,

    /// <summary><c>/jobs/add_track_audio</c>: alternate audio renditions added to an asset.</summary>
    AddTrackAudio,

    /// <summary><c>/jobs/add_track_vtt</c>: WebVTT subtitle renditions made from TTML and added to an asset.</summary>
    AddTrackVtt,

    /// <summary><c>/jobs/replace_track_vtt</c>: a subtitle rendition of an asset made anew from TTML.</summary>
    ReplaceTrackVtt,

    /// <summary><c>/jobs/copy-from-library</c> (and each asset of <c>/batch/copy-from-library</c>): the caller's own copy of an asset.</summary>
    CopyFromLibrary,

    /// <summary>
    /// Internal, never accepted by the API nor shown to owners: one part of a long create job's source, encoded on
    /// the slice grid by any free slicer and joined by the create job (its parent; docs/parts.md).
    /// </summary>
    SlicePart,
}

public static class JobKinds
{
    public static string ToWire(this JobKind kind) => kind switch
    {
        JobKind.Create => "create",
        JobKind.QuickClip => "quickclip",
        JobKind.Export => "export",
        JobKind.AddTrackAudio => "add_track_audio",
        JobKind.AddTrackVtt => "add_track_vtt",
        JobKind.ReplaceTrackVtt => "replace_track_vtt",
        JobKind.CopyFromLibrary => "copy_from_library",
        JobKind.SlicePart => "slice_part",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static JobKind ParseWire(string kind) => kind switch
    {
        "create" => JobKind.Create,
        "quickclip" => JobKind.QuickClip,
        "export" => JobKind.Export,
        "add_track_audio" => JobKind.AddTrackAudio,
        "add_track_vtt" => JobKind.AddTrackVtt,
        "replace_track_vtt" => JobKind.ReplaceTrackVtt,
        "copy_from_library" => JobKind.CopyFromLibrary,
        "slice_part" => JobKind.SlicePart,
        _ => throw new FormatException($"'{kind}' is not a job kind"),
    };

    /// <summary>Whether a job of this kind changes an asset that exists (publishing a new version of it).</summary>
    public static bool ChangesAsset(this JobKind kind) =>
        kind is JobKind.Export or JobKind.AddTrackAudio or JobKind.AddTrackVtt or JobKind.ReplaceTrackVtt;
}
