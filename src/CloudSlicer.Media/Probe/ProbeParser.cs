using System.Globalization;
using System.Text.Json;

namespace CloudSlicer.Media.Probe;

/// <summary>
/// Reads <c>ffprobe -print_format json -show_entries</c> <see cref="ShowEntries"/> (pure; tested on captured
/// output). ffprobe writes most numbers as strings ("2.000000") and omits what it does not know, so every
/// field is optional here.
/// </summary>
public static class ProbeParser
{
    /// <summary>
    /// The value of ffprobe's <c>-show_entries</c>: exactly the fields read below, so a source stuffed with
    /// tags (a 5 MB comment, thousands of chapters) does not inflate what ffprobe writes and we read.
    /// </summary>
    public const string ShowEntries =
        "format=format_name,duration,bit_rate,size"
        + ":stream=index,codec_type,codec_name,profile,width,height,sample_aspect_ratio,avg_frame_rate,r_frame_rate,"
        + "duration,sample_rate,channels,bit_rate"
        + ":stream_disposition=attached_pic"
        + ":stream_tags=language,rotate"
        + ":stream_side_data=rotation";

    /// <exception cref="MediaException">The text is not ffprobe's JSON.</exception>
    public static ProbeResult Parse(string ffprobeJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(ffprobeJson);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MediaException("ffprobe's output is not a JSON object");
            }

            var format = root.TryGetProperty("format", out var f) ? ParseFormat(f) : new ProbeFormat("", null, null, null);
            var streams = root.TryGetProperty("streams", out var s) && s.ValueKind == JsonValueKind.Array
                ? s.EnumerateArray().Select(ParseStream).ToList()
                : [];
            return new ProbeResult(format, streams);
        }
        catch (JsonException ex)
        {
            throw new MediaException($"ffprobe's output is not JSON: {ex.Message}", ex);
        }
    }

    private static ProbeFormat ParseFormat(JsonElement f) =>
        new(String(f, "format_name") ?? "", Seconds(f, "duration"), Long(f, "bit_rate"), Long(f, "size"));

    private static ProbeStream ParseStream(JsonElement s) =>
        new(
            Index: (int)(Long(s, "index") ?? 0),
            CodecType: String(s, "codec_type") ?? "",
            CodecName: String(s, "codec_name"),
            Profile: String(s, "profile"),
            Width: (int)(Long(s, "width") ?? 0),
            Height: (int)(Long(s, "height") ?? 0),
            SampleAspectRatio: Ratio(String(s, "sample_aspect_ratio")) is > 0 and var sar ? sar : 1,
            AvgFrameRate: Ratio(String(s, "avg_frame_rate")),
            RFrameRate: Ratio(String(s, "r_frame_rate")),
            Duration: Seconds(s, "duration"),
            Rotation: Rotation(s),
            SampleRate: (int)(Long(s, "sample_rate") ?? 0),
            Channels: (int)(Long(s, "channels") ?? 0),
            BitRate: Long(s, "bit_rate"),
            IsAttachedPicture: s.TryGetProperty("disposition", out var d) && Long(d, "attached_pic") == 1,
            Language: s.TryGetProperty("tags", out var tags) ? String(tags, "language") : null);

    /// <summary>
    /// The display matrix's rotation (side data), else the rotate tag older muxers wrote. Only its
    /// quarter turn matters for the display size; the sign does not.
    /// </summary>
    private static int Rotation(JsonElement s)
    {
        double? degrees = null;
        if (s.TryGetProperty("side_data_list", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            degrees = list.EnumerateArray().Select(sd => Double(sd, "rotation")).FirstOrDefault(r => r is not null);
        }

        if (degrees is null && s.TryGetProperty("tags", out var tags))
        {
            degrees = Double(tags, "rotate");
        }

        var quarter = (int)Math.Round((degrees ?? 0) / 90.0);
        return ((quarter % 4) + 4) % 4 * 90;
    }

    private static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;

    private static double? Double(JsonElement e, string name) =>
        double.TryParse(String(e, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : null;

    private static long? Long(JsonElement e, string name) =>
        Double(e, name) is { } d && Math.Abs(d) < long.MaxValue ? (long)d : null;

    private static TimeSpan? Seconds(JsonElement e, string name) =>
        Double(e, name) is >= 0 and < 1e9 and var d ? TimeSpan.FromSeconds(d) : null;

    /// <summary>"30000/1001" or "16:15"; 0 for "0/0", "N/A" and anything unreadable.</summary>
    private static double Ratio(string? text)
    {
        var parts = text?.Split('/', ':');
        if (parts is not { Length: 2 }
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var den)
            || den <= 0 || num <= 0)
        {
            return 0;
        }

        return num / den;
    }
}
