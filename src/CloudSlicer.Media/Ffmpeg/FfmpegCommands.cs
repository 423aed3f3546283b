using System.Text;
using System.Text.RegularExpressions;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Media.Hls;

namespace CloudSlicer.Media.Ffmpeg;

/// <summary>ffmpeg command lines as token lists, one method per product (pure: values in, tokens out).</summary>
public static partial class FfmpegCommands
{
    /// <summary>The directory (and var_stream_map name) of the audio rendition.</summary>
    public const string AudioRendition = "audio";

    private const string AudioFiltered = "a_out";

    /// <summary>
    /// One ffmpeg process decodes the source once and writes every ray and the audio rendition as CMAF
    /// HLS: <c>{OutputDirectory}/{name}/index.m3u8</c>, <c>init.mp4</c>, <c>seg_00000.m4s</c>...
    /// Each rendition is its own output: ffmpeg 5.1 names init segments <c>init_{n}.mp4</c> when one
    /// output holds several variants, and creates a variant's directory only when <c>%v</c> is in its
    /// path, hence a one-entry <c>-var_stream_map</c> per output.
    /// </summary>
    public static IReadOnlyList<string> HlsLadder(HlsLadderRequest r)
    {
        if (r.Rays.Count == 0 && !r.AudioOnly)
        {
            throw new ArgumentException("a ladder needs at least one ray", nameof(r));
        }

        if (r.OutputDirectory.Contains('%', StringComparison.Ordinal))
        {
            // ffmpeg reads % in output names as a pattern (%v, %05d); it has no escape that works in every name.
            throw new ArgumentException("the output directory may not contain '%'", nameof(r));
        }

        foreach (var ray in r.Rays)
        {
            if (!RayName().IsMatch(ray.Name) || ray.Name == AudioRendition)
            {
                throw new ArgumentException($"ray name '{ray.Name}' is not a short lowercase name", nameof(r));
            }
        }

        var args = FfmpegArgs.Batch()
            .Input(r.Input, r.TrimStart, r.TrimDuration);
        foreach (var bug in r.Bugs)
        {
            args.ImageInput(bug.ImagePath);
        }

        // A part's audio is not its own: the parent encodes the whole audio once, so no AAC priming lands at a join.
        var hasAudio = r.HasAudio && r.Part is null;
        var audioChain = hasAudio ? AudioFilters(r) : null;
        var graph = r.AudioOnly ? audioChain : RayFilters(r) + (audioChain is null ? "" : ";" + audioChain);
        if (graph is not null)
        {
            args.Add("-filter_complex", graph);
        }

        foreach (var ray in r.AudioOnly ? [] : r.Rays)
        {
            AddRayOutput(args, r, ray);
        }

        if (hasAudio)
        {
            args.Add("-map", audioChain is null ? "0:a:0" : $"[{AudioFiltered}]",
                "-c:a", "aac", "-b:a", FfmpegArgs.Kbps(r.AudioKbps),
                "-ar", FfmpegArgs.Int(Slices.AudioSampleRate), "-ac", "2");
            AddHlsOutput(args, r.OutputDirectory, "a:0", AudioRendition);
        }

        return args.ToList();
    }

    /// <summary>
    /// One JPEG of the frame at <paramref name="at"/>, square pixels: no taller than <paramref name="maxHeight"/>,
    /// or, given a <paramref name="box"/> (<c>poster_size</c>), fitting inside it, aspect kept, never upscaled.
    /// </summary>
    public static IReadOnlyList<string> Poster(string input, string outputJpg, TimeSpan at, int maxHeight, PosterSize? box = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeight, 2);
        return FfmpegArgs.Batch()
            .Input(input, at, duration: null)
            .Add("-map", "0:v:0", "-frames:v", "1", "-vf", PosterScale(maxHeight, box))
            .Add(JpegOutput(outputJpg))
            .ToList();
    }

    /// <summary>The <c>poster_file</c> image, decoded and re-encoded as the poster JPEG (never served as sent).</summary>
    public static IReadOnlyList<string> PosterFromImage(string image, string outputJpg, int maxHeight, PosterSize? box = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeight, 2);
        return FfmpegArgs.Batch()
            .ImageInput(image)
            .Add("-map", "0:v:0", "-frames:v", "1", "-vf", PosterScale(maxHeight, box))
            .Add(JpegOutput(outputJpg))
            .ToList();
    }

    /// <summary>
    /// A JPEG per slice of one rendition (<c>thumbnails</c>), for each size: only key frames are decoded, and
    /// the ladder puts exactly one at the start of every slice, so thumbnail n is slice n's first frame.
    /// Written as <c>{outputDirectory}/{prefix}/00000.jpg</c>...
    /// </summary>
    public static IReadOnlyList<string> Thumbnails(string input, string outputDirectory, IReadOnlyList<ThumbnailSpec> sizes)
    {
        if (sizes.Count == 0 || outputDirectory.Contains('%', StringComparison.Ordinal))
        {
            throw new ArgumentException("thumbnails need at least one size and an output directory without '%'", nameof(sizes));
        }

        var graph = new StringBuilder("[0:v:0]split=").Append(FfmpegArgs.Int(sizes.Count));
        for (var i = 0; i < sizes.Count; i++)
        {
            graph.Append("[t").Append(FfmpegArgs.Int(i)).Append(']');
        }

        for (var i = 0; i < sizes.Count; i++)
        {
            graph.Append(";[t").Append(FfmpegArgs.Int(i)).Append(']').Append(FitInside(sizes[i].Width, sizes[i].Height))
                .Append("[th").Append(FfmpegArgs.Int(i)).Append(']');
        }

        var args = FfmpegArgs.Batch().Add("-skip_frame", "nokey").Input(input, start: null, duration: null)
            .Add("-filter_complex", graph.ToString());
        for (var i = 0; i < sizes.Count; i++)
        {
            args.Add("-map", $"[th{FfmpegArgs.Int(i)}]", "-fps_mode", "passthrough",
                "-c:v", "mjpeg", "-q:v", "4", "-map_metadata", "-1",
                "-f", "image2", "-start_number", "0", $"{outputDirectory.TrimEnd('/')}/{sizes[i].Prefix}/%05d.jpg");
        }

        return args.ToList();
    }

    private static string PosterScale(int maxHeight, PosterSize? box) =>
        box is { } b
            ? FitInside(b.Width, b.Height)
            : $"scale=w='trunc(oh*dar/2)*2':h='min(ih,{FfmpegArgs.Int(maxHeight)})',setsar=1";

    /// <summary>Square pixels first, then the largest size inside W x H with the picture's aspect, never larger than it was.</summary>
    private static string FitInside(int width, int height) =>
        $"scale=w='trunc(iw*sar)':h=ih,setsar=1,scale=w='min({FfmpegArgs.Int(width)},iw)':h='min({FfmpegArgs.Int(height)},ih)':force_original_aspect_ratio=decrease,setsar=1";

    private static string[] JpegOutput(string outputJpg) =>
        ["-c:v", "mjpeg", "-q:v", "3", "-map_metadata", "-1", "-f", "image2", "-update", "1", outputJpg];

    /// <summary>
    /// Split the decoded video once per ray; each branch drops frames first (cheaper to scale fewer),
    /// then scales to the ray's display size with square pixels, in the 8-bit 4:2:0 High profile needs.
    /// fps is always set, so every ray is constant frame rate as the master's FRAME-RATE says.
    /// </summary>
    private static string RayFilters(HlsLadderRequest r)
    {
        var rays = r.Rays;
        var graph = new StringBuilder();
        var cut = FfmpegFilters.Cuts(r.Cuts, audio: false).Concat(FfmpegFilters.Cap(r.MaxDuration, audio: false)).ToList();
        var from = "0:v:0";
        if (r.Bugs.Count > 0)
        {
            graph.Append("[0:v:0]").Append(cut.Count > 0 ? string.Join(',', cut) : "null").Append("[main];");
            from = FfmpegFilters.Overlays(graph, "main", r.Bugs, firstInput: 1);
            cut.Clear();
        }

        // The media settings come before the split, so every ray (and the poster and thumbnails taken from one) shows them.
        var settings = cut.Concat(FfmpegFilters.Fades(r.Fades, audio: false)).Concat(FfmpegFilters.Aspect(r.DisplayAspect)).ToList();
        graph.Append('[').Append(from).Append(']');
        foreach (var filter in settings)
        {
            graph.Append(filter).Append(',');
        }

        graph.Append("split=").Append(FfmpegArgs.Int(rays.Count));
        foreach (var ray in rays)
        {
            graph.Append("[s_").Append(ray.Name).Append(']');
        }

        foreach (var ray in rays)
        {
            graph.Append(";[s_").Append(ray.Name).Append("]fps=").Append(FfmpegArgs.Rate(ray.FrameRate))
                .Append(",scale=w=").Append(FfmpegArgs.Int(ray.Width)).Append(":h=").Append(FfmpegArgs.Int(ray.Height))
                .Append(",setsar=1,format=yuv420p[v_").Append(ray.Name).Append(']');
        }

        return graph.ToString();
    }

    /// <summary>The audio rendition's filters (mix, cuts, cap, fades) ending in <see cref="AudioFiltered"/>; null when there are none.</summary>
    private static string? AudioFilters(HlsLadderRequest r)
    {
        var chain = FfmpegFilters.Cuts(r.Cuts, audio: true)
            .Concat(FfmpegFilters.Cap(r.MaxDuration, audio: true))
            .Concat(FfmpegFilters.Fades(r.Fades, audio: true))
            .ToList();
        if (r.AudioMix.Count > 0)
        {
            var mix = FfmpegFilters.AudioMix(r.AudioMix, chain.Count > 0 ? "mixed" : AudioFiltered);
            return chain.Count > 0 ? $"{mix};[mixed]{string.Join(',', chain)}[{AudioFiltered}]" : mix;
        }

        return chain.Count > 0 ? $"[0:a:0]{string.Join(',', chain)}[{AudioFiltered}]" : null;
    }

    private static void AddRayOutput(FfmpegArgs args, HlsLadderRequest r, Ray ray)
    {
        var slice = FfmpegArgs.Seconds(Slices.SliceDuration);
        var sliceFrames = (long)Math.Ceiling(Slices.SliceDuration.TotalSeconds * ray.FrameRate);
        // A part's frames are counted from its first frame, which sits this far after the part's start in the asset.
        var lead = r.Part is { } part ? FfmpegArgs.Seconds(part.FirstFrame(ray.FrameRate) - part.Start) : null;
        args.Add("-map", $"[v_{ray.Name}]");
        AddRayEncoder(args, r.Preset, ray);
        args.Add(
            // Key frames come only where forced, at every slice boundary, identically in every ray:
            // no scene-cut key frames, and a GOP of two slices so x264 never adds one of its own.
            "-g", FfmpegArgs.Int(2 * sliceFrames), "-sc_threshold", "0",
            "-force_key_frames", lead is null ? $"expr:gte(t,n_forced*{slice})" : $"expr:gte(t+{lead},n_forced*{slice})");
        if (r.Part is { } p)
        {
            // The part's frames keep their place in the whole asset (tfdt), its slices their numbers, and each
            // fragment says where it starts, so the parts' slices play as one stream (PACKAGES.md, ffmpeg facts).
            args.Add("-output_ts_offset", FfmpegArgs.Seconds(p.FirstFrame(ray.FrameRate)),
                "-start_number", FfmpegArgs.Int(p.FirstSlice),
                "-hls_segment_options", "movflags=+frag_discont");
            if (p.Frames(ray.FrameRate) is { } frames)
            {
                args.Add("-frames:v", FfmpegArgs.Int(frames));
            }
        }

        AddHlsOutput(args, r.OutputDirectory, "v:0", ray.Name);
    }

    private static void AddHlsOutput(FfmpegArgs args, string outputDirectory, string stream, string name)
    {
        var dir = outputDirectory.TrimEnd('/');
        args.Add("-map_metadata", "-1", "-map_chapters", "-1",
            // Keep the encoders' own timestamps: by default ffmpeg shifts each output so its first DTS is 0, which
            // with B-frames moves the video's first frame two frames late, while audio (no reordering) stays at 0:
            // a hole players must seek over. Unshifted, video starts at 0 and the audio's AAC priming sits before
            // 0, both marked in the edit list for players to skip (docs/playback.md).
            "-avoid_negative_ts", "disabled",
            "-f", "hls",
            "-hls_time", FfmpegArgs.Seconds(Slices.SliceDuration),
            "-hls_playlist_type", "vod",
            "-hls_segment_type", "fmp4",
            "-hls_flags", "independent_segments",
            "-hls_fmp4_init_filename", HlsOutput.InitName,
            "-var_stream_map", $"{stream},name:{name}",
            "-hls_segment_filename", $"{dir}/%v/{HlsOutput.SegmentPattern}",
            $"{dir}/%v/{HlsOutput.PlaylistName}");
    }

    [GeneratedRegex("^[a-z0-9]{1,16}$")]
    private static partial Regex RayName();
}
