using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Media.Audio;

/// <summary>The ffmpeg command lines of an audio export as token lists (pure: values in, tokens out).</summary>
public static class AudioEncodeCommands
{
    /// <summary>
    /// Decodes the first audio stream to interleaved s16le stereo on stdout for the Fraunhofer encoder.
    /// No <c>-progress</c>: stdout is the PCM. <c>-ac 2</c> upmixes mono and downmixes 5.1 with
    /// ffmpeg's standard matrix.
    /// </summary>
    public static IReadOnlyList<string> DecodeToPcm(string input, int sampleRate, TimeSpan? timeline = null) =>
        new FfmpegArgs()
            .Add("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error")
            .Add(TimelineInput(timeline))
            .Input(input, start: null, duration: null)
            .Add("-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "2", "-ar", FfmpegArgs.Int(CheckRate(sampleRate)))
            .Add(TimelineOutput(timeline))
            .Add("-c:a", "pcm_s16le", "-f", "s16le", "pipe:1")
            .ToList();

    /// <summary>
    /// Puts our ADTS stream into an MP4 without re-encoding (the mp4 muxer inserts aac_adtstoasc).
    /// The negative input offset shifts the encoder's priming before zero, so the muxer writes an
    /// edit list that skips it and the track is as long as its source.
    /// </summary>
    public static IReadOnlyList<string> MuxAdts(string adts, string output, int primingSamples, int sampleRate) =>
        FfmpegArgs.Batch()
            .Add("-protocol_whitelist", "file", "-format_whitelist", "aac", "-f", "aac",
                "-itsoffset", "-" + FfmpegArgs.Seconds(TimeSpan.FromTicks(primingSamples * TimeSpan.TicksPerSecond / CheckRate(sampleRate))),
                "-i", "file:" + adts)
            .Add(Mp4Output(output, "-c:a", "copy"))
            .ToList();

    /// <summary>AAC-LC with ffmpeg's own encoder, straight from the source (it writes its own edit list).</summary>
    public static IReadOnlyList<string> AacLc(string input, string output, int kbps, int sampleRate, TimeSpan? timeline = null) =>
        FfmpegArgs.Batch()
            .Add(TimelineInput(timeline))
            .Input(input, start: null, duration: null)
            .Add(Mp4Output(output, [.. TimelineOutput(timeline), "-vn", "-sn", "-dn", "-ac", "2", "-ar", FfmpegArgs.Int(CheckRate(sampleRate)),
                "-c:a", "aac", "-b:a", FfmpegArgs.Kbps(kbps)]))
            .ToList();

    /// <summary>
    /// An asset's audio rendition keeps its AAC priming before zero (negative timestamps, which ffmpeg would
    /// shift to zero and so play the priming): seeking to the absolute zero drops it, so the encoded audio starts
    /// with the video. Nothing for a plain source.
    /// </summary>
    private static string[] TimelineInput(TimeSpan? timeline) => timeline is null ? [] : ["-seek_timestamp", "1", "-ss", "0"];

    /// <summary>The audio ends with the asset's timeline, not up to a frame of padding later.</summary>
    private static string[] TimelineOutput(TimeSpan? timeline) => timeline is { } t ? ["-t", FfmpegArgs.Seconds(t)] : [];

    private static string[] Mp4Output(string output, params string[] codec) =>
        ["-map", "0:a:0", .. codec, "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4", "file:" + output];

    private static int CheckRate(int sampleRate) =>
        sampleRate is 44_100 or 48_000
            ? sampleRate
            : throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "44100 or 48000");
}
