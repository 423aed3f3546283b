using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>The small pieces every setting parser shares: a value as text, decimal seconds, milliseconds, WxH.</summary>
internal static class SettingText
{
    /// <summary>
    /// A string (trimmed unless <paramref name="trim"/> is false), or a number written as it was sent; anything
    /// else (object, array, bool, null) is not a setting value.
    /// </summary>
    public static bool TryScalar(JsonNode? value, out string text, bool trim = true)
    {
        text = "";
        if (value is not JsonValue scalar)
        {
            return false;
        }

        switch (scalar.GetValueKind())
        {
            case JsonValueKind.String:
                text = trim ? scalar.GetValue<string>().Trim() : scalar.GetValue<string>();
                return true;
            case JsonValueKind.Number:
                text = scalar.ToJsonString();
                return true;
            default:
                return false;
        }
    }

    /// <summary>"30", "45.5": non-negative decimal seconds, at most a week.</summary>
    public static bool TrySeconds(string text, out double seconds) =>
        double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds)
        && seconds <= TimeSpan.FromDays(7).TotalSeconds;

    /// <summary>A whole number of milliseconds within a week either way; a sign only when <paramref name="signed"/>.</summary>
    public static bool TryMilliseconds(string text, bool signed, out long ms) =>
        long.TryParse(text.Trim(), signed ? NumberStyles.AllowLeadingSign : NumberStyles.None, CultureInfo.InvariantCulture, out ms)
        && Math.Abs(ms) <= (long)TimeSpan.FromDays(7).TotalMilliseconds;

    /// <summary>"640x360": both sides 16..7680 pixels.</summary>
    public static bool TrySize(string text, out int width, out int height)
    {
        width = height = 0;
        var parts = text.Trim().Split('x', 'X');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out width)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out height)
            && width is >= 16 and <= 7680 && height is >= 16 and <= 7680;
    }

    /// <summary>An absolute http or https URL (the fetcher's SSRF guard decides later whether its host may be dialled).</summary>
    public static bool TryHttpUrl(string text, out Uri url) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    /// <summary>Splits a list on <paramref name="separator"/>, dropping empty entries left by a trailing separator.</summary>
    public static string[] Entries(string text, string separator) =>
        text.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);
}
