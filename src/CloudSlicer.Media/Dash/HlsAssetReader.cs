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
    /// <param name="audioBandwidth">Bits per second of the audio rendition: the master counts it into each ray's, the MPD apart.</param>
    public static async Task<string> BuildMpdAsync(string master, string uriPrefix, long audioBandwidth, ReadFile read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(read);
        var rays = new List<DashRendition>();
        DashRendition? audio = null;
        string? streamInf = null;
        foreach (var line in master.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("#EXT-X-MEDIA:", StringComparison.Ordinal) && Attribute(line, "TYPE") == "AUDIO" && audio is null)
            {
                var id = RenditionId(Attribute(line, "URI"), uriPrefix);
                var channels = int.TryParse(Attribute(line, "CHANNELS"), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : 2;
                audio = await ReadRenditionAsync(id, AudioCodecs(master), audioBandwidth, read, cancellationToken).ConfigureAwait(false)
                    with { Channels = channels };
            }
            else if (line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                streamInf = line;
            }
            else if (streamInf is not null && !line.StartsWith('#'))
            {
                var id = RenditionId(line, uriPrefix);
                var resolution = (Attribute(streamInf, "RESOLUTION") ?? "0x0").Split('x');
                var codecs = (Attribute(streamInf, "CODECS") ?? "").Split(',').First(c => !c.StartsWith("mp4a", StringComparison.Ordinal));
                var bandwidth = long.Parse(Attribute(streamInf, "BANDWIDTH") ?? "0", CultureInfo.InvariantCulture);
                if (audio is not null && bandwidth > 2 * audioBandwidth)
                {
                    bandwidth -= audioBandwidth;
                }

                rays.Add(await ReadRenditionAsync(id, codecs, bandwidth, read, cancellationToken).ConfigureAwait(false) with
                {
                    Width = int.Parse(resolution[0], CultureInfo.InvariantCulture),
                    Height = int.Parse(resolution[^1], CultureInfo.InvariantCulture),
                    FrameRate = Attribute(streamInf, "FRAME-RATE"),
                });
                streamInf = null;
            }
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
        // rounding never accumulates; segment names must be the template's, numbered from 0.
        var durations = new List<long>();
        var seconds = 0m;
        var previousEnd = 0L;
        decimal? pending = null;
        foreach (var line in Encoding.UTF8.GetString(playlist).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                pending = decimal.Parse(line["#EXTINF:".Length..].Split(',')[0], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            else if (pending is { } d && !line.StartsWith('#'))
            {
                if (line != HlsOutput.SegmentName(durations.Count))
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

        return durations.Count == 0
            ? throw new MediaException($"The '{id}' rendition has no slices")
            : new DashRendition(id, codecs, bandwidth, timescale, durations);
    }

    private static string AudioCodecs(string master) =>
        master.Split(',', '"').FirstOrDefault(c => c.StartsWith("mp4a", StringComparison.Ordinal)) ?? "mp4a.40.2";

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

    [GeneratedRegex("^[a-z0-9]{1,16}$")]
    private static partial Regex RenditionName();
}
