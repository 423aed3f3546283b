namespace CloudSlicer.Core.Jobs.Settings;

public enum FadeDirection
{
    In,
    Out,
}

/// <summary>Which streams a fade applies to.</summary>
[Flags]
public enum FadeTarget
{
    Audio = 1,
    Video = 2,
    Both = Audio | Video,
}

/// <summary>One entry of the <c>fade</c> setting, in the asset's milliseconds (after trim and breaks).</summary>
public sealed record Fade(FadeDirection Direction, FadeTarget Target, long StartMs, long DurationMs)
{
    /// <summary>"in,both,0,1000,,,out,video,9000,1000": entries separated by ",,,".</summary>
    public static bool TryParse(string text, out IReadOnlyList<Fade> fades, out string error)
    {
        fades = [];
        error = "";
        var list = new List<Fade>();
        foreach (var entry in SettingText.Entries(text, ",,,"))
        {
            var parts = entry.Split(',', StringSplitOptions.TrimEntries);
            FadeDirection? direction = parts[0] switch { "in" => FadeDirection.In, "out" => FadeDirection.Out, _ => null };
            FadeTarget? target = parts.Length > 1
                ? parts[1] switch { "audio" => FadeTarget.Audio, "video" => FadeTarget.Video, "both" => FadeTarget.Both, _ => null }
                : null;
            if (parts.Length != 4 || direction is null || target is null
                || !SettingText.TryMilliseconds(parts[2], signed: false, out var start)
                || !SettingText.TryMilliseconds(parts[3], signed: false, out var duration))
            {
                error = $"fade: '{entry}' is not in|out,audio|video|both,StartMs,DurationMs; give for example in,both,0,1000 (entries separated by ,,,)";
                return false;
            }

            if (duration == 0)
            {
                error = $"fade: '{entry}' lasts 0 ms; give a positive DurationMs";
                return false;
            }

            list.Add(new Fade(direction.Value, target.Value, start, duration));
        }

        if (list.Count is 0 or > 20)
        {
            error = "fade: give 1 to 20 entries such as in,both,0,1000";
            return false;
        }

        fades = list;
        return true;
    }
}
