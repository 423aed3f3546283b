using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CloudSlicer.Media.Clips;

/// <summary>
/// An edge WebVTT segment of a clip: the cues that show during the clip, cut to it. Cue times stay on the source's
/// timeline (as the media's do), read through the segment's <c>X-TIMESTAMP-MAP</c> when it has one.
/// </summary>
public static partial class WebVttCut
{
    public static string Cut(string vtt, long startMs, long endMs)
    {
        ArgumentNullException.ThrowIfNull(vtt);
        var blocks = vtt.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        if (blocks.Length == 0)
        {
            return "WEBVTT\n";
        }

        // Cue time t is media time t - LOCAL + MPEGTS/90000.
        var shift = 0.0;
        if (TimestampMap().Match(blocks[0]) is { Success: true } map)
        {
            shift = (long.Parse(map.Groups["mpegts"].Value, CultureInfo.InvariantCulture) / 90000.0) - ParseTime(map.Groups["local"].Value);
        }

        var start = (startMs / 1000.0) - shift;
        var end = (endMs / 1000.0) - shift;
        var output = new StringBuilder(blocks[0].TrimEnd()).Append("\n\n");
        foreach (var block in blocks.Skip(1))
        {
            var lines = block.Split('\n');
            var timing = Array.FindIndex(lines, l => l.Contains("-->", StringComparison.Ordinal));
            if (timing < 0)
            {
                output.Append(block.TrimEnd()).Append("\n\n");   // NOTE, STYLE and REGION blocks stay
                continue;
            }

            var m = CueTiming().Match(lines[timing]);
            if (!m.Success)
            {
                continue;
            }

            var from = ParseTime(m.Groups["from"].Value);
            var to = ParseTime(m.Groups["to"].Value);
            if (to <= start || from >= end)
            {
                continue;
            }

            lines[timing] = $"{FormatTime(Math.Max(from, start))} --> {FormatTime(Math.Min(to, end))}{m.Groups["settings"].Value}";
            output.Append(string.Join('\n', lines).TrimEnd()).Append("\n\n");
        }

        return output.ToString();
    }

    private static double ParseTime(string text)
    {
        var parts = text.Split(':');
        var seconds = double.Parse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture);
        var minutes = int.Parse(parts[^2], CultureInfo.InvariantCulture);
        var hours = parts.Length > 2 ? int.Parse(parts[0], CultureInfo.InvariantCulture) : 0;
        return (hours * 3600) + (minutes * 60) + seconds;
    }

    private static string FormatTime(double seconds)
    {
        var ms = (long)Math.Round(seconds * 1000);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}.{ms % 1000:000}");
    }

    [GeneratedRegex(@"X-TIMESTAMP-MAP=(?:MPEGTS:(?<mpegts>\d+),LOCAL:(?<local>[\d:.]+)|LOCAL:(?<local>[\d:.]+),MPEGTS:(?<mpegts>\d+))")]
    private static partial Regex TimestampMap();

    [GeneratedRegex(@"^\s*(?<from>[\d:.]+)\s+-->\s+(?<to>[\d:.]+)(?<settings>.*)$")]
    private static partial Regex CueTiming();
}
