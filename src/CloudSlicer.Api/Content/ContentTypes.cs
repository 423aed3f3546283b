namespace CloudSlicer.Api.Content;

/// <summary>Content types of everything an asset holds, by extension.</summary>
public static class ContentTypes
{
    public static string For(string path) => Path.GetExtension(path).ToLowerInvariant() switch
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
        ".json" => "application/json",
        _ => "application/octet-stream",
    };
}
