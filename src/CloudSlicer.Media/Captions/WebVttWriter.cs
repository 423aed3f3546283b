using System.Globalization;
using System.Text;

namespace CloudSlicer.Media.Captions;

/// <summary>
/// Cues as segmented WebVTT for HLS: one file per slice of the asset's grid, each with the same
/// <c>X-TIMESTAMP-MAP</c>, cue times on the asset's timeline (a cue that spans a slice boundary is
/// repeated in every slice it touches; players drop the repeat since it is the same cue), and the media playlist.
/// </summary>
public static class WebVttWriter
{
    public static WebVttTrack Write(IEnumerable<Cue> cues, TimeSpan assetDuration, WebVttOptions? options = null)
    {
        options ??= new WebVttOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(assetDuration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.SliceDuration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TimeOffset, TimeSpan.Zero);

        var onAsset = CueClip.Clip(CueClip.ShiftEarlier(cues, options.TimeOffset), TimeSpan.Zero, assetDuration)
            .Select(c => new Timed(Milliseconds(c.Start), Milliseconds(c.End), [.. c.Lines.Select(Escape).Where(l => !string.IsNullOrWhiteSpace(l))]))
            .Where(c => c.EndMs > c.StartMs && c.Lines.Count > 0)
            .OrderBy(c => c.StartMs).ThenBy(c => c.EndMs)
            .ToList();

        var header = Header(options);
        var settings = options.Settings.Text;
        var count = (int)((assetDuration.Ticks + options.SliceDuration.Ticks - 1) / options.SliceDuration.Ticks);
        var segments = new List<WebVttSegment>(count);
        for (var i = 0; i < count; i++)
        {
            var start = options.SliceDuration * i;
            var end = i == count - 1 ? assetDuration : options.SliceDuration * (i + 1);
            var (startMs, endMs) = (Milliseconds(start), Milliseconds(end));
            var text = new StringBuilder(header);
            foreach (var cue in onAsset.Where(c => c.StartMs < endMs && c.EndMs > startMs))
            {
                text.Append('\n').Append(Timestamp(cue.StartMs)).Append(" --> ").Append(Timestamp(cue.EndMs));
                if (settings.Length > 0)
                {
                    text.Append(' ').Append(settings);
                }

                text.Append('\n');
                foreach (var line in cue.Lines)
                {
                    text.Append(line).Append('\n');
                }
            }

            segments.Add(new WebVttSegment(i, SegmentName(i), start, end - start, text.ToString()));
        }

        return new WebVttTrack(Playlist(segments), segments);
    }

    /// <summary>seg_00000.vtt, as the media slices are seg_00000.m4s.</summary>
    public static string SegmentName(int index) => string.Create(CultureInfo.InvariantCulture, $"seg_{index:00000}.vtt");

    /// <summary>
    /// The header every segment shares. MPEGTS is the 90 kHz media timestamp that cue time LOCAL (zero)
    /// falls on; CMAF slices starting at zero make it 0, which hls.js reads as "cue times are playlist times"
    /// (docs/captions.md explains the choice against Apple's 900000 for MPEG-TS).
    /// </summary>
    private static string Header(WebVttOptions options)
    {
        var mpegts = (long)Math.Round(options.MediaTimelineStart.Ticks * 90_000m / TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:{mpegts},LOCAL:00:00:00.000\n");
    }

    private static string Playlist(IReadOnlyList<WebVttSegment> segments)
    {
        // Rounded as ffmpeg rounds the media playlists' target duration, so every rendition says the same.
        var target = segments.Max(s => (long)Math.Round(s.Duration.TotalSeconds, MidpointRounding.AwayFromZero));
        var m3u8 = new StringBuilder()
            .Append("#EXTM3U\n#EXT-X-VERSION:3\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{Math.Max(1, target)}\n")
            .Append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        foreach (var segment in segments)
        {
            m3u8.Append(CultureInfo.InvariantCulture, $"#EXTINF:{segment.Duration.TotalSeconds:0.000000},\n").Append(segment.FileName).Append('\n');
        }

        return m3u8.Append("#EXT-X-ENDLIST\n").ToString();
    }

    private static long Milliseconds(TimeSpan t) => (long)Math.Round(t.Ticks / (decimal)TimeSpan.TicksPerMillisecond, MidpointRounding.AwayFromZero);

    private static string Timestamp(long ms) =>
        string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}.{ms % 1000:000}");

    /// <summary>
    /// Markup characters as references, so text can never close a tag or hold "-->"; line breaks and
    /// other controls as spaces, so text can never end the cue (a blank line) or start another.
    /// </summary>
    private static string Escape(string line)
    {
        var text = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            _ = c switch
            {
                '&' => text.Append("&amp;"),
                '<' => text.Append("&lt;"),
                '>' => text.Append("&gt;"),
                _ when char.IsControl(c) => text.Append(' '),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }

    private sealed record Timed(long StartMs, long EndMs, IReadOnlyList<string> Lines);
}
