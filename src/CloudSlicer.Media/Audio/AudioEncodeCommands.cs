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
    public static IReadOnlyList<string> DecodeToPcm(string input, int sampleRate) =>
        new FfmpegArgs()
            .Add("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error")
            .Input(input, start: null, duration: null)
            .Add("-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "2", "-ar", FfmpegArgs.Int(CheckRate(sampleRate)),
                "-c:a", "pcm_s16le", "-f", "s16le", "pipe:1")
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
    public static IReadOnlyList<string> AacLc(string input, string output, int kbps, int sampleRate) =>
        FfmpegArgs.Batch()
            .Input(input, start: null, duration: null)
            .Add(Mp4Output(output, "-vn", "-sn", "-dn", "-ac", "2", "-ar", FfmpegArgs.Int(CheckRate(sampleRate)),
                "-c:a", "aac", "-b:a", FfmpegArgs.Kbps(kbps)))
            .ToList();

    private static string[] Mp4Output(string output, params string[] codec) =>
        ["-map", "0:a:0", .. codec, "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4", "file:" + output];

    private static int CheckRate(int sampleRate) =>
        sampleRate is 44_100 or 48_000
            ? sampleRate
            : throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "44100 or 48000");
}
