using System.Globalization;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>
/// One entry of the <c>breaks</c> setting, in the source's seconds: without a <see cref="Label"/> the range
/// is cut out and an <c>AD BREAK</c> marks where it was; with one it is kept and marked as a <c>BOUNDARY</c>.
/// </summary>
public sealed record BreakRange(double Start, double Stop, string? Label)
{
    public bool IsCut => Label is null;

    public double Duration => Stop - Start;

    /// <summary>"30-45.5,120-150" or "intro:0-12.5"; cuts may not overlap one another.</summary>
    public static bool TryParse(string text, out IReadOnlyList<BreakRange> breaks, out string error)
    {
        breaks = [];
        error = "";
        var list = new List<BreakRange>();
        foreach (var entry in SettingText.Entries(text, ","))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var label = colon < 0 ? null : entry[..colon].Trim();
            var range = entry[(colon + 1)..];
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (label is "" || dash < 0
                || !SettingText.TrySeconds(range[..dash], out var start)
                || !SettingText.TrySeconds(range[(dash + 1)..], out var stop))
            {
                error = $"breaks: '{entry}' is not start-stop or label:start-stop; give seconds such as 30-45.5 or intro:0-12";
                return false;
            }

            if (stop <= start)
            {
                error = $"breaks: '{entry}' ends before it starts; give start-stop in seconds such as 30-45.5";
                return false;
            }

            list.Add(new BreakRange(start, stop, label));
        }

        if (list.Count is 0 or > 100)
        {
            error = $"breaks: '{text}' lists {list.Count.ToString(CultureInfo.InvariantCulture)} ranges; give 1 to 100, such as 30-45.5,120-150";
            return false;
        }

        var cuts = list.Where(b => b.IsCut).OrderBy(b => b.Start).ToList();
        for (var i = 1; i < cuts.Count; i++)
        {
            if (cuts[i].Start < cuts[i - 1].Stop)
            {
                error = $"breaks: {Show(cuts[i - 1])} and {Show(cuts[i])} overlap; give each removed range once";
                return false;
            }
        }

        breaks = list;
        return true;
    }

    private static string Show(BreakRange b) => $"'{SettingText.Seconds(b.Start)}-{SettingText.Seconds(b.Stop)}'";
}
