using System.Globalization;
using System.Text;
using System.Xml;

namespace CloudSlicer.Slicer.Handlers.Exports;

/// <summary>
/// An export's captions: the cues of our own segmented WebVTT (one file per slice, a cue that spans a slice
/// boundary repeated in each) as one small TTML document. Repeats are dropped; our escapes are undone.
/// </summary>
internal static class CaptionsTtml
{
    public const string Extension = ".ttml";

    public static IReadOnlyList<TimedText> ReadCues(IEnumerable<string> segments)
    {
        var cues = new List<TimedText>();
        var seen = new HashSet<TimedText>();
        foreach (var segment in segments)
        {
            var blocks = segment.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            foreach (var block in blocks)
            {
                var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var timing = Array.FindIndex(lines, l => l.Contains("-->", StringComparison.Ordinal));
                if (timing < 0 || lines[0].StartsWith("WEBVTT", StringComparison.Ordinal) || lines[0].StartsWith("NOTE", StringComparison.Ordinal))
                {
                    continue;
                }

                var times = lines[timing].Split("-->", 2);
                var endToken = times[1].Trim().Split(' ', 2)[0];
                if (!TryParse(times[0].Trim(), out var start) || !TryParse(endToken, out var end) || end <= start)
                {
                    continue;
                }

                var cue = new TimedText(start, end, string.Join('\n', lines.Skip(timing + 1).Select(Unescape)));
                if (cue.Text.Length > 0 && seen.Add(cue))
                {
                    cues.Add(cue);
                }
            }
        }

        return [.. cues.OrderBy(c => c.Start).ThenBy(c => c.End)];
    }

    public static string Write(IReadOnlyList<TimedText> cues, string lang)
    {
        using var bytes = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using (var xml = XmlWriter.Create(bytes, settings))
        {
            const string Tt = "http://www.w3.org/ns/ttml";
            xml.WriteStartElement("tt", Tt);
            xml.WriteAttributeString("xml", "lang", null, lang.Length > 0 ? lang : "en");
            xml.WriteStartElement("body", Tt);
            xml.WriteStartElement("div", Tt);
            foreach (var cue in cues)
            {
                xml.WriteStartElement("p", Tt);
                xml.WriteAttributeString("begin", Clock(cue.Start));
                xml.WriteAttributeString("end", Clock(cue.End));
                var lines = cue.Text.Split('\n');
                for (var i = 0; i < lines.Length; i++)
                {
                    if (i > 0)
                    {
                        xml.WriteStartElement("br", Tt);
                        xml.WriteEndElement();
                    }

                    xml.WriteString(lines[i]);
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string Clock(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds:000}");

    /// <summary>hh:mm:ss.ttt or mm:ss.ttt, as WebVTT allows.</summary>
    private static bool TryParse(string text, out TimeSpan time)
    {
        time = default;
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            return false;
        }

        var hours = 0;
        if (parts.Length == 3 && !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out hours))
        {
            return false;
        }

        if (!int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || !decimal.TryParse(parts[^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        time = TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    private static string Unescape(string line) =>
        line.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
}

/// <summary>One caption of an export: shown from <see cref="Start"/> to <see cref="End"/>; lines separated by '\n'.</summary>
internal sealed record TimedText(TimeSpan Start, TimeSpan End, string Text);
