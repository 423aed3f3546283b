using System.Globalization;
using System.Text;

namespace CloudSlicer.Media.Clips;

/// <summary>One segment of a media playlist: its URI (relative to the playlist), where it starts and how long it lasts.</summary>
public sealed record PlaylistSegment(string Uri, double Start, double Duration)
{
    public double End => Start + Duration;
}

/// <summary>
/// A VOD media playlist as the slicer writes it: header tags (version, target duration, <c>EXT-X-MAP</c>), then
/// <c>#EXTINF</c> and a URI per slice. Read to find a clip's slices; written for the clip with its own durations.
/// Tags between segments (cue marks, date ranges) are not carried into a clip.
/// </summary>
public sealed record MediaPlaylist(IReadOnlyList<string> Header, IReadOnlyList<PlaylistSegment> Segments)
{
    public static MediaPlaylist Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var header = new List<string>();
        var segments = new List<PlaylistSegment>();
        double? duration = null;
        var start = 0.0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line["#EXTINF:".Length..].Split(',')[0];
                duration = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            else if (line.Length > 0 && line[0] != '#' && duration is { } d)
            {
                segments.Add(new PlaylistSegment(line, start, d));
                start += d;
                duration = null;
            }
            else if (segments.Count == 0 && duration is null && line.StartsWith('#') && line != "#EXT-X-ENDLIST"
                && !line.StartsWith("#EXT-X-MEDIA-SEQUENCE", StringComparison.Ordinal))
            {
                header.Add(line);
            }
        }

        return new MediaPlaylist(header, segments);
    }

    /// <summary>The playlist of <paramref name="segments"/> under this one's header, ending the VOD list.</summary>
    public string Write(IEnumerable<PlaylistSegment> segments)
    {
        var m3u8 = new StringBuilder();
        foreach (var line in Header)
        {
            m3u8.Append(line).Append('\n');
            if (line.StartsWith("#EXT-X-TARGETDURATION", StringComparison.Ordinal))
            {
                m3u8.Append("#EXT-X-MEDIA-SEQUENCE:0\n");
            }
        }

        foreach (var s in segments)
        {
            m3u8.Append(CultureInfo.InvariantCulture, $"#EXTINF:{s.Duration:0.000000},\n").Append(s.Uri).Append('\n');
        }

        return m3u8.Append("#EXT-X-ENDLIST\n").ToString();
    }
}
