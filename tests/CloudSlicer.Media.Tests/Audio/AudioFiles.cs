using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using CloudSlicer.Testing;

namespace CloudSlicer.Media.Tests.Audio;

/// <summary>What ffprobe says about an encoded audio file's first audio stream.</summary>
public sealed record AudioStreamFacts(string Codec, string Profile, int SampleRate, int Channels, double Duration);

/// <summary>Audio sources made with lavfi, and the facts the encoder tests check on its output.</summary>
public static class AudioFiles
{
    /// <summary>An audio-only source from a lavfi graph (e.g. "sine=frequency=440:sample_rate=48000"), as FLAC in Matroska.</summary>
    public static async Task<string> MakeAsync(string path, string lavfi, TimeSpan duration, int channels)
    {
        var seconds = duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        await MediaClips.RunAsync("ffmpeg",
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", lavfi, "-t", seconds,
             "-ac", channels.ToString(CultureInfo.InvariantCulture), "-c:a", "flac", "-f", "matroska", path],
            CancellationToken.None);
        return path;
    }

    public static async Task<AudioStreamFacts> ProbeAsync(string path)
    {
        var json = await MediaClips.RunAsync("ffprobe",
            ["-v", "error", "-select_streams", "a:0", "-show_entries",
             "stream=codec_name,profile,sample_rate,channels:format=duration", "-of", "json", path],
            CancellationToken.None);
        using var doc = JsonDocument.Parse(json);
        var stream = doc.RootElement.GetProperty("streams")[0];
        return new AudioStreamFacts(
            stream.GetProperty("codec_name").GetString() ?? "",
            stream.TryGetProperty("profile", out var p) ? p.GetString() ?? "" : "",
            int.Parse(stream.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture),
            stream.GetProperty("channels").GetInt32(),
            double.Parse(doc.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture));
    }

    /// <summary>The four-letter types of an MP4's top-level boxes, in file order (read from the bytes, not from a tool).</summary>
    public static IReadOnlyList<string> TopLevelBoxes(string path)
    {
        var types = new List<string>();
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[16];
        while (file.Position < file.Length)
        {
            var start = file.Position;
            file.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            types.Add(System.Text.Encoding.ASCII.GetString(header[4..8]));
            if (size == 1)
            {
                file.ReadExactly(header[8..16]);
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..16]);
            }
            else if (size == 0)
            {
                break;   // the box runs to the end of the file
            }

            Assert.True(size >= 8, $"box {types[^1]} at {start} has size {size}");
            file.Position = start + size;
        }

        return types;
    }
}
