using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;

namespace CloudSlicer.Media.Dash;

/// <summary>
/// Builds an asset's MPD from what is already stored for HLS: the master (rays, sizes, rates, CODECS, bandwidth),
/// each rendition's playlist (the slices and their durations) and init segment (the timescale). Nothing is
/// re-probed and no slice is copied.
/// </summary>
public static partial class HlsAssetReader
{
    /// <summary>Reads one file of the asset by its path relative to the asset ("a/index.m3u8"); null when absent.</summary>
    public delegate Task<byte[]?> ReadFile(string relativePath, CancellationToken cancellationToken);

    /// <param name="master">The asset's master playlist, as <see cref="HlsMaster"/> wrote it.</param>
    /// <param name="uriPrefix">The prefix the master puts before every URI ("{asset}/").</param>
    /// <param name="audioBandwidth">Bits per second of the AAC audio: the master counts it into each ray's, the MPD apart.</param>
    /// <remarks>
    /// With E-AC-3 tracks the master lists every ray twice (a variant names one audio group: <c>audio</c>, then
    /// <c>audio-ec3</c>); the MPD lists each ray once, and every audio rendition of either group as an AdaptationSet
    /// of its own.
    /// </remarks>
    public static async Task<string> BuildMpdAsync(string master, string uriPrefix, long audioBandwidth, ReadFile read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(read);
        var media = new List<string>();
        var variants = new List<(string StreamInf, string Id)>();
        string? streamInf = null;
        foreach (var line in master.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("#EXT-X-MEDIA:", StringComparison.Ordinal) && Attribute(line, "TYPE") == "AUDIO")
            {
                media.Add(line);
            }
            else if (line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                streamInf = line;
            }
            else if (streamInf is not null && !line.StartsWith('#'))
            {
                variants.Add((streamInf, RenditionId(line, uriPrefix)));
                streamInf = null;
            }
        }

        var audio = new List<DashRendition>();
        foreach (var line in media)
        {
            var group = Attribute(line, "GROUP-ID") ?? "";
            var id = RenditionId(Attribute(line, "URI"), uriPrefix);
            var channels = int.TryParse(Attribute(line, "CHANNELS"), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 2;
            var rendition = await ReadRenditionAsync(id, AudioCodecs(variants, group), AudioBandwidth(variants, group, audioBandwidth), read, cancellationToken)
                .ConfigureAwait(false);
            audio.Add(rendition with
            {
                Channels = channels,
                Lang = Attribute(line, "LANGUAGE") is { Length: > 0 } lang ? lang : "en",
                // The asset's own audio (the first) keeps the MPD it always had; a track added later is listed by its name.
                Label = audio.Count == 0 ? null : Attribute(line, "NAME"),
            });
        }

        var rays = new List<DashRendition>();
        foreach (var (inf, id) in variants.DistinctBy(v => v.Id))
        {
            var resolution = (Attribute(inf, "RESOLUTION") ?? "0x0").Split('x');
            var codecs = (Attribute(inf, "CODECS") ?? "").Split(',').First(c => !IsAudioCodec(c));
            var bandwidth = long.Parse(Attribute(inf, "BANDWIDTH") ?? "0", CultureInfo.InvariantCulture);
            var groupBandwidth = Attribute(inf, "AUDIO") is { } g ? AudioBandwidth(variants, g, audioBandwidth) : 0;
            if (groupBandwidth > 0 && bandwidth > 2 * groupBandwidth)
            {
                bandwidth -= groupBandwidth;
            }

            rays.Add(await ReadRenditionAsync(id, codecs, bandwidth, read, cancellationToken).ConfigureAwait(false) with
            {
                Width = int.Parse(resolution[0], CultureInfo.InvariantCulture),
                Height = int.Parse(resolution[^1], CultureInfo.InvariantCulture),
                FrameRate = Attribute(inf, "FRAME-RATE"),
            });
        }

        return DashManifest.Build(rays, audio, uriPrefix);
    }

    private static async Task<DashRendition> ReadRenditionAsync(string id, string codecs, long bandwidth, ReadFile read, CancellationToken cancellationToken)
    {
        var playlist = await read($"{id}/{HlsOutput.PlaylistName}", cancellationToken).ConfigureAwait(false)
            ?? throw new MediaException($"The '{id}' rendition has no playlist");
        var init = await read($"{id}/{HlsOutput.InitName}", cancellationToken).ConfigureAwait(false)
            ?? throw new MediaException($"The '{id}' rendition has no init segment");
        var timescale = Mp4Timescale.Read(init) ?? throw new MediaException($"The '{id}' rendition's init segment has no track timescale");

        // Durations from EXTINF (microsecond precision) placed on the track's tick grid by their running sum, so
        // rounding never accumulates; segment names must be the template's, numbered on from the first one's number
        // (0 in an asset; a clip keeps its source's names).
        var durations = new List<long>();
        var seconds = 0m;
        var previousEnd = 0L;
        long? first = null;
        string? firstName = null;
        decimal? pending = null;
        foreach (var line in Encoding.UTF8.GetString(playlist).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                pending = decimal.Parse(line["#EXTINF:".Length..].Split(',')[0], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            else if (pending is { } d && !line.StartsWith('#'))
            {
                first ??= SegmentNumber(line) ?? throw new MediaException($"The '{id}' rendition's slice '{line}' is not named as a DASH template can address it");
                firstName ??= line;
                if (first + durations.Count > int.MaxValue || line != HlsOutput.SegmentName((int)(first + durations.Count)))
                {
                    throw new MediaException($"The '{id}' rendition's slice '{line}' is not named as a DASH template can address it");
                }

                seconds += d;
                var end = (long)Math.Round(seconds * timescale, MidpointRounding.AwayFromZero);
                durations.Add(end - previousEnd);
                previousEnd = end;
                pending = null;
            }
        }

        if (durations.Count == 0)
        {
            throw new MediaException($"The '{id}' rendition has no slices");
        }

        // Where the timeline starts: the first slice's decode time (0 in an asset, the offset in a clip).
        var firstSlice = await read($"{id}/{firstName}", cancellationToken).ConfigureAwait(false)
            ?? throw new MediaException($"The '{id}' rendition has no slice '{firstName}'");
        var startTime = Mp4Timescale.ReadDecodeTime(firstSlice) ?? throw new MediaException($"The '{id}' rendition's slice '{firstName}' has no decode time");
        return new DashRendition(id, codecs, bandwidth, timescale, durations) { StartNumber = first!.Value, StartTime = startTime };
    }

    /// <summary>"seg_00012.m4s" -> 12; null when the name is not the template's.</summary>
    private static long? SegmentNumber(string name) =>
        SegmentName().Match(name) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static bool IsAudioCodec(string codec) =>
        codec.StartsWith("mp4a", StringComparison.Ordinal) || codec.StartsWith("ec-3", StringComparison.Ordinal) || codec.StartsWith("ac-3", StringComparison.Ordinal);

    /// <summary>The audio codec the variants naming <paramref name="group"/> announce ("mp4a.40.2", "ec-3").</summary>
    private static string AudioCodecs(List<(string StreamInf, string Id)> variants, string group) =>
        variants.Where(v => Attribute(v.StreamInf, "AUDIO") == group)
            .SelectMany(v => (Attribute(v.StreamInf, "CODECS") ?? "").Split(','))
            .FirstOrDefault(IsAudioCodec) ?? "mp4a.40.2";

    /// <summary>
    /// Bits per second of the audio of <paramref name="group"/>. The master counts it into each variant's BANDWIDTH: the
    /// AAC group's is the configured rate; another group's is what its variant of a ray adds over that ray's AAC variant.
    /// </summary>
    private static long AudioBandwidth(List<(string StreamInf, string Id)> variants, string group, long aacBandwidth)
    {
        static long Bandwidth(string inf) => long.Parse(Attribute(inf, "BANDWIDTH") ?? "0", CultureInfo.InvariantCulture);
        var first = variants.FirstOrDefault(v => Attribute(v.StreamInf, "AUDIO") == group);
        if (first.StreamInf is null || AudioCodecs(variants, group).StartsWith("mp4a", StringComparison.Ordinal))
        {
            return aacBandwidth;
        }

        var aac = variants.FirstOrDefault(v => v.Id == first.Id && Attribute(v.StreamInf, "AUDIO") != group);
        return aac.StreamInf is not null && Bandwidth(first.StreamInf) > Bandwidth(aac.StreamInf)
            ? Bandwidth(first.StreamInf) - Bandwidth(aac.StreamInf) + (Attribute(aac.StreamInf, "AUDIO") is null ? 0 : aacBandwidth)
            : FfmpegCommands.Eac3Kbps * 1000L;
    }

    /// <summary>"{asset}/a/index.m3u8" -> "a".</summary>
    private static string RenditionId(string? uri, string uriPrefix)
    {
        var path = uri is not null && uri.StartsWith(uriPrefix, StringComparison.Ordinal) ? uri[uriPrefix.Length..] : uri ?? "";
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var id = slash > 0 ? path[..slash] : "";
        return RenditionName().IsMatch(id) && path == $"{id}/{HlsOutput.PlaylistName}"
            ? id
            : throw new MediaException("The master playlist names a rendition outside the asset's layout");
    }

    /// <summary>An attribute of an HLS tag line, quoted or not; null when absent.</summary>
    private static string? Attribute(string line, string name)
    {
        var match = Regex.Match(line, $"[:,]{Regex.Escape(name)}=(\"(?<v>[^\"]*)\"|(?<v>[^,]*))", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups["v"].Value : null;
    }

    // Ray letters, "audio", "audio1", "ec3_1", "sub0": a name, never a path.
    [GeneratedRegex("^[a-z0-9_]{1,16}$")]
    private static partial Regex RenditionName();

    [GeneratedRegex("^seg_([0-9]{5,9})\\.m4s$")]
    private static partial Regex SegmentName();
}
