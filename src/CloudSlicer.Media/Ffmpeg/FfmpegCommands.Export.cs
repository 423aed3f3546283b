namespace CloudSlicer.Media.Ffmpeg;

public static partial class FfmpegCommands
{
    /// <summary>
    /// An export: the top ray's CMAF slices, joined after their init segment into one fragmented MP4, and the
    /// encoded audio (null when the asset has none) into one progressive MP4 by stream copy, index first
    /// (<c>+faststart</c>) so a player can start before the download ends. The joined video keeps its edit list,
    /// so video starts at zero as it does in the asset.
    /// </summary>
    public static IReadOnlyList<string> ExportMux(string joinedVideo, string? audio, string output)
    {
        var args = FfmpegArgs.Batch().Input(joinedVideo, start: null, duration: null);
        if (audio is not null)
        {
            args.Input(audio, start: null, duration: null);
        }

        args.Add("-map", "0:v:0");
        if (audio is not null)
        {
            args.Add("-map", "1:a:0");
        }

        return args.Add("-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1", "-movflags", "+faststart", "-f", "mp4", "file:" + output)
            .ToList();
    }
}
