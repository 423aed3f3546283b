namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>
/// One entry of the <c>bug</c> setting: a PNG overlaid on the video from <see cref="StartMs"/> (negative:
/// that long before the end) for <see cref="DurationMs"/> (0: to the end).
/// </summary>
public sealed record Bug(Uri Url, long StartMs, long DurationMs)
{
    /// <summary>"https://cdn/logo.png,0,10000,,,https://cdn/end.png,-5000,5000": entries separated by ",,,".</summary>
    public static bool TryParse(string text, out IReadOnlyList<Bug> bugs, out string error)
    {
        bugs = [];
        error = "";
        var list = new List<Bug>();
        foreach (var entry in SettingText.Entries(text, ",,,"))
        {
            // The URL may itself hold commas; the last two fields are the numbers.
            var parts = entry.Split(',', StringSplitOptions.TrimEntries);
            var url = string.Join(',', parts.SkipLast(2));
            if (parts.Length < 3
                || !SettingText.TryHttpUrl(url, out var uri)
                || !SettingText.TryMilliseconds(parts[^2], signed: true, out var start)
                || !SettingText.TryMilliseconds(parts[^1], signed: false, out var duration))
            {
                error = "bug: an entry is not PNG-URL,StartMs,DurationMs; give for example https://example.com/logo.png,0,10000 (http or https; a negative start counts from the end; entries separated by ,,,)";
                return false;
            }

            list.Add(new Bug(uri, start, duration));
        }

        if (list.Count is 0 or > 4)
        {
            error = "bug: give 1 to 4 entries such as https://example.com/logo.png,0,10000";
            return false;
        }

        bugs = list;
        return true;
    }
}
