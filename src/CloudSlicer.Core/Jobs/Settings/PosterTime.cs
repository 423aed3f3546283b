using System.Globalization;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>The <c>poster</c> setting: which frame of the asset becomes its poster.</summary>
public static class PosterTime
{
    /// <summary>"5000" (milliseconds), "5.5" (seconds) or "00:01:02.500" (clock).</summary>
    public static bool TryParse(string text, out TimeSpan at, out string error)
    {
        at = default;
        error = "";
        text = text.Trim();
        if (SettingText.TryMilliseconds(text, signed: false, out var ms))
        {
            at = TimeSpan.FromMilliseconds(ms);
            return true;
        }

        if (!text.Contains(':', StringComparison.Ordinal) && SettingText.TrySeconds(text, out var seconds))
        {
            at = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (TimeSpan.TryParseExact(text, [@"h\:mm\:ss\.FFF", @"h\:mm\:ss", @"mm\:ss\.FFF", @"mm\:ss"], CultureInfo.InvariantCulture, out at))
        {
            return true;
        }

        error = $"poster: '{text}' is not a time; give milliseconds (5000), seconds (5.5) or hh:mm:ss.ms (00:00:05.500)";
        return false;
    }
}
