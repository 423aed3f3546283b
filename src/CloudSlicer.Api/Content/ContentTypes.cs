namespace CloudSlicer.Api.Content;

/// <summary>
/// The media kinds content serving answers, by extension: playlists, slices and init segments, images,
/// WebVTT, MP4 and MPD. Anything else an asset directory holds (its metadata, temporary files) is not served.
/// </summary>
public static class ContentTypes
{
    public static bool TryGet(string path, out string contentType)
    {
        contentType = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".m3u8" => "application/vnd.apple.mpegurl",
            ".m4s" => "video/iso.segment",
            ".mp4" => "video/mp4",
            ".m4a" => "audio/mp4",
            ".ts" => "video/mp2t",
            ".mpd" => "application/dash+xml",
            ".vtt" => "text/vtt; charset=utf-8",
            ".ttml" => "application/ttml+xml",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".png" => "image/png",
            _ => "",
        };
        return contentType.Length > 0;
    }
}
