using CloudSlicer.Core.Assets;

namespace CloudSlicer.Media.Ffmpeg;

public static partial class FfmpegCommands
{
    /// <summary>
    /// One edge slice of a clip, for one ray: <paramref name="input"/> is the ray's init segment and the source slice
    /// (which starts on a key frame), decoded from its start; frames <paramref name="firstFrame"/> to
    /// <paramref name="firstFrame"/> + <paramref name="frameCount"/> (in presentation order) are re-encoded with the
    /// ray's own encoder settings and timescale into one fragment, so the edge plays with the ray's init segment.
    /// Frames are counted rather than timed: the caller picked them from the slice's own timestamps.
    /// </summary>
    public static IReadOnlyList<string> ClipEdge(string input, string outputMp4, Ray ray, string preset, uint timescale, int firstFrame, int frameCount)
    {
        ArgumentNullException.ThrowIfNull(ray);
        ArgumentOutOfRangeException.ThrowIfNegative(firstFrame);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 1);
        var args = FfmpegArgs.Batch()
            .Input(input, start: null, duration: null)
            .Add("-map", "0:v:0", "-an", "-sn",
                "-vf", $"trim=start_frame={FfmpegArgs.Int(firstFrame)}:end_frame={FfmpegArgs.Int(firstFrame + frameCount)}",
                // Every kept frame goes out as it came in: no frame is added or dropped to fit a rate.
                "-fps_mode", "passthrough");
        AddRayEncoder(args, preset, ray);
        var sliceFrames = (long)Math.Ceiling(Slices.SliceDuration.TotalSeconds * ray.FrameRate);
        return args.Add("-g", FfmpegArgs.Int(2 * sliceFrames), "-sc_threshold", "0",
                "-map_metadata", "-1", "-map_chapters", "-1",
                "-video_track_timescale", FfmpegArgs.Int(timescale),
                // One fragment after an empty moov: the fragment is what the clip stores; the moov only checks the encoder.
                "-movflags", "empty_moov+default_base_moof+frag_keyframe",
                "-f", "mp4", outputMp4)
            .ToList();
    }

    /// <summary>
    /// The x264 settings of a ray (see <see cref="AddRayOutput"/>): a clip's re-encoded edge must write the same
    /// decoder configuration (SPS/PPS) as the ray's slices, since they share an init segment.
    /// </summary>
    private static void AddRayEncoder(FfmpegArgs args, string preset, Ray ray) =>
        args.Add("-c:v", "libx264", "-preset", preset,
            // ultrafast turns the 8x8 transform off, and x264 then writes Constrained Baseline; with it on,
            // every preset's stream is High, as the master's CODECS says.
            "-x264-params", "8x8dct=1",
            "-profile:v", "high", "-level:v", H264Level.Argument(H264Level.For(ray)),
            "-b:v", FfmpegArgs.Kbps(ray.VideoKbps),
            "-maxrate:v", FfmpegArgs.Kbps(ray.MaxKbps),
            // One second at the cap: keeps a slice's bit rate near MaxKbps, which the master announces as peak.
            "-bufsize:v", FfmpegArgs.Kbps(ray.MaxKbps));
}
