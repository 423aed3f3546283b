using System.Text;
using System.Text.RegularExpressions;

namespace CloudSlicer.Media.Ffmpeg;

/// <summary>One rendition an alternate audio track is encoded into: its directory name, codec, bit rate and channel count.</summary>
/// <param name="Name">The rendition's directory (and var_stream_map name), e.g. <c>audio1</c> or <c>ec3_1</c>.</param>
/// <param name="Codec"><c>aac</c> (AAC-LC) or <c>eac3</c> (E-AC-3, the <c>dolby</c> setting).</param>
public sealed record AudioTrackOutput(string Name, string Codec, int Kbps, int Channels);

public static partial class FfmpegCommands
{
    /// <summary>E-AC-3's bit rate for its 5.1 rendition (a common streaming rate).</summary>
    public const int Eac3Kbps = 384;

    /// <summary>
    /// An alternate audio track: the first audio stream of <paramref name="input"/>, resampled to 48 kHz and made
    /// exactly <paramref name="duration"/> long (padded with silence, or cut, to the sample), decoded once and
    /// written as CMAF HLS to <c>{OutputDirectory}/{name}/</c> for each of <paramref name="outputs"/>, with the
    /// same slice length, naming and playlist shape as the asset's own audio rendition (<see cref="HlsLadder"/>),
    /// so the track's slices line up with the asset's and every reader treats it alike.
    /// </summary>
    public static IReadOnlyList<string> AudioTracks(string input, string outputDirectory, TimeSpan duration, IReadOnlyList<AudioTrackOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0 || outputDirectory.Contains('%', StringComparison.Ordinal))
        {
            throw new ArgumentException("an audio track needs at least one output and an output directory without '%'", nameof(outputs));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        foreach (var output in outputs)
        {
            if (!TrackName().IsMatch(output.Name) || output.Codec is not ("aac" or "eac3"))
            {
                throw new ArgumentException($"audio track output '{output.Name}' ({output.Codec}) is not a short lowercase name with codec aac or eac3", nameof(outputs));
            }
        }

        // Sample counts, not seconds: the pad and the cut land on the same sample however the duration rounds.
        var samples = (long)Math.Round(duration.TotalSeconds * Slices.AudioSampleRate);
        var graph = new StringBuilder("[0:a:0]")
            // Start at 0 whatever the file's first timestamp (an MP3's or an M4A's priming), as the asset does.
            .Append("asetpts=PTS-STARTPTS,aresample=").Append(FfmpegArgs.Int(Slices.AudioSampleRate))
            .Append(",apad=whole_len=").Append(FfmpegArgs.Int(samples))
            .Append(",atrim=end_sample=").Append(FfmpegArgs.Int(samples))
            .Append(",asplit=").Append(FfmpegArgs.Int(outputs.Count));
        foreach (var output in outputs)
        {
            graph.Append("[t_").Append(output.Name).Append(']');
        }

        var args = FfmpegArgs.Batch()
            .Input(input, start: null, duration: null)
            .Add("-filter_complex", graph.ToString());
        foreach (var output in outputs)
        {
            args.Add("-map", $"[t_{output.Name}]",
                "-c:a", output.Codec, "-b:a", FfmpegArgs.Kbps(output.Kbps),
                "-ar", FfmpegArgs.Int(Slices.AudioSampleRate), "-ac", FfmpegArgs.Int(output.Channels));
            AddHlsOutput(args, outputDirectory, "a:0", output.Name);
        }

        return args.ToList();
    }

    [GeneratedRegex("^[a-z0-9_]{1,16}$")]
    private static partial Regex TrackName();
}
