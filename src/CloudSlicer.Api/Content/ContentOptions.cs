using System.ComponentModel.DataAnnotations;

namespace CloudSlicer.Api.Content;

/// <summary>Content serving (configuration section <c>Content</c>).</summary>
public sealed class ContentOptions
{
    public const string Section = "Content";

    /// <summary>
    /// When above 0 and the blob store has URLs of its own (S3), a GET of a slice or other media file answers 302 to
    /// a presigned URL valid this many seconds, so the bytes flow from the store (or a CDN in front of it) rather
    /// than through this server. Playlists and manifests are always served here: their relative URIs must resolve
    /// against this server. 0 (the default) serves everything here. At most 7 days, SigV4's limit.
    /// </summary>
    [Range(0, 7 * 24 * 3600)]
    public int PresignedRedirectSeconds { get; set; }
}
