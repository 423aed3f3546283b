using System.Globalization;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>The <c>force_aspect_ratio</c> setting: the picture's display aspect, whatever the source's flags say.</summary>
public sealed record AspectRatio(int Width, int Height)
{
    public double Value => (double)Width / Height;

    /// <summary>"16:9", "4:3": both sides whole numbers 1..1000 (so not "2.39:1"), the ratio between 1:10 and 10:1.</summary>
    public static bool TryParse(string text, out AspectRatio ratio, out string error)
    {
        ratio = null!;
        error = "";
        var parts = text.Trim().Split(':');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || w is < 1 or > 1000 || h is < 1 or > 1000 || (double)w / h is < 0.1 or > 10)
        {
            error = $"force_aspect_ratio: '{text}' is not W:H; give whole numbers such as 16:9 or 4:3";
            return false;
        }

        ratio = new AspectRatio(w, h);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}:{Height}");
}
