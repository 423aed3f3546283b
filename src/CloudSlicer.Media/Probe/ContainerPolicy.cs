namespace CloudSlicer.Media.Probe;

/// <summary>
/// The demuxers a source may be opened with (DESIGN 5). Playlists, concat lists and manifests are
/// left out: their demuxers open further files or URLs named inside them.
/// </summary>
public static class ContainerPolicy
{
    /// <summary>
    /// Demuxer names as ffmpeg spells them. A demuxer with several names ("mov,mp4,m4a,3gp,3g2,mj2",
    /// "matroska,webm") is allowed when any one of them is listed.
    /// </summary>
    public static readonly IReadOnlyList<string> AllowedFormats =
    [
        "mov", "mp4", "m4a", "3gp", "3g2", "mj2",
        "matroska", "webm",
        "mpegts", "mpeg", "avi", "flv", "mxf", "asf",
        "wav", "w64", "aiff", "mp3", "aac", "flac", "ogg",
    ];

    /// <summary>
    /// The demuxers a still image (<c>poster_file</c>, a <c>bug</c>) may be opened with: the single-image
    /// pipes, which read only the bytes they are given (image2 is left out: it expands file name patterns).
    /// </summary>
    public static readonly IReadOnlyList<string> AllowedImageFormats = ["png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe"];

    public static string ImageFormatWhitelist { get; } = string.Join(',', AllowedImageFormats);

    private static readonly Dictionary<string, string> ListKinds = new(StringComparer.Ordinal)
    {
        ["hls"] = "playlist",
        ["concat"] = "playlist",
        ["dash"] = "manifest",
        ["webm_dash_manifest"] = "manifest",
    };

    /// <summary>The value of ffmpeg's and ffprobe's <c>-format_whitelist</c>.</summary>
    public static string FormatWhitelist { get; } = string.Join(',', AllowedFormats);

    /// <summary>Whether ffprobe's <c>format_name</c> names an allowed demuxer.</summary>
    public static bool IsAllowed(string formatName) =>
        formatName.Split(',').Any(name => AllowedFormats.Contains(name, StringComparer.Ordinal));

    /// <summary>
    /// The error for a source whose demuxer is not allowed, worded for the job's last_error. Permanent: the
    /// same file is the same format next time.
    /// </summary>
    public static MediaException NotAllowed(string formatName)
    {
        var allowed = string.Join(", ", AllowedFormats);
        return ListKinds.TryGetValue(formatName, out var kind)
            ? new MediaException($"The source is a '{formatName}' {kind}; only media files are sliced (allowed: {allowed})") { Permanent = true }
            : new MediaException($"The source's format '{formatName}' is not an allowed media container (allowed: {allowed})") { Permanent = true };
    }
}
