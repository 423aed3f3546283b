using System.Text.RegularExpressions;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>One entry of the <c>timedmeta</c> setting: a field and its value at a time of the asset.</summary>
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

            list.Add(new TimedMetadata(ms, entry[(colon + 1)..eq].Trim(), entry[(eq + 1)..].Trim()));
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
