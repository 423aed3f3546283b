using System.Text.RegularExpressions;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>One entry of the <c>timedmeta</c> setting: a field and its value at a time of the asset (carried as <c>#EXT-X-DATERANGE</c>).</summary>
public sealed partial record TimedMetadata(long TimeMs, string Field, string Value)
{
    /// <summary>"5000:TIT2=Chapter one,65000:TIT2=Chapter two".</summary>
    public static bool TryParse(string text, out IReadOnlyList<TimedMetadata> entries, out string error)
    {
        entries = [];
        error = "";
        var list = new List<TimedMetadata>();
        foreach (var entry in SettingText.Entries(text, ","))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (colon < 0 || eq < colon
                || !SettingText.TryMilliseconds(entry[..colon], signed: false, out var ms)
                || !FieldPattern().IsMatch(entry[(colon + 1)..eq].Trim()))
            {
                error = $"timedmeta: '{entry}' is not timeMs:FIELD=value; give for example 5000:TIT2=Chapter one (FIELD: letters, digits and _)";
                return false;
            }

            var value = entry[(eq + 1)..].Trim();
            if (value.Contains('"', StringComparison.Ordinal) || value.Any(char.IsControl) || value.Length > 1024)
            {
                error = $"timedmeta: the value in '{entry}' has a double quote or a control character, or is over 1024 characters; playlists cannot carry it";
                return false;
            }

            list.Add(new TimedMetadata(ms, entry[(colon + 1)..eq].Trim(), value));
        }

        if (list.Count is 0 or > 1000)
        {
            error = "timedmeta: give 1 to 1000 entries such as 5000:TIT2=Chapter one";
            return false;
        }

        entries = list;
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial Regex FieldPattern();
}
