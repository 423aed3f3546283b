using System.Globalization;

namespace CloudSlicer.Testing;

/// <summary>The few playlist facts tests and benchmarks check, read from playlist text.</summary>
public static class HlsPlaylists
{
    /// <summary>The #EXTINF durations of a media playlist.</summary>
    public static IReadOnlyList<double> SegmentDurations(string mediaPlaylist) =>
        mediaPlaylist.Split('\n')
            .Where(line => line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            .Select(line => double.Parse(line["#EXTINF:".Length..].TrimEnd(',', '\r'), CultureInfo.InvariantCulture))
            .ToList();

    public static int SegmentCount(string mediaPlaylist) => SegmentDurations(mediaPlaylist).Count;

    public static int VariantCount(string masterPlaylist) =>
        masterPlaylist.Split('\n').Count(l => l.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal));

    /// <summary>URIs of a playlist in order: lines that are not tags, plus URI="..." attributes.</summary>
    public static IReadOnlyList<string> Uris(string playlist) =>
        playlist.Split('\n').Select(l => l.Trim())
            .SelectMany(line => line.StartsWith('#')
                ? line.Split("URI=\"").Skip(1).Select(part => part[..part.IndexOf('"', StringComparison.Ordinal)])
                : line.Length > 0 ? [line] : [])
            .ToList();
}
