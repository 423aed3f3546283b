using System.Text.RegularExpressions;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>
/// One size of the <c>thumbnails</c> setting: a thumbnail per slice, fitting in <see cref="Width"/> x
/// <see cref="Height"/> (aspect kept, never upscaled), stored as <c>thumbs/{Prefix}/{n:00000}.jpg</c>.
/// </summary>
public sealed partial record ThumbnailSpec(string Prefix, int Width, int Height)
{
    /// <summary>Made whenever thumbnails are asked for, beside the sizes named.</summary>
    public static readonly ThumbnailSpec Default = new("default", 256, 144);

    /// <summary>
    /// "1" (the default size only), or "prefix:WxH[,prefix:WxH…]" (the default size plus each named one).
    /// "0" or "" asks for none.
    /// </summary>
    public static bool TryParse(string text, out IReadOnlyList<ThumbnailSpec> specs, out string error)
    {
        specs = [];
        error = "";
        text = text.Trim();
        if (text is "" or "0" or "false")
        {
            return true;
        }

        var list = new List<ThumbnailSpec> { Default };
        if (text is "1" or "true")
        {
            specs = list;
            return true;
        }

        foreach (var entry in SettingText.Entries(text, ","))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var prefix = colon < 0 ? "" : entry[..colon].Trim();
            if (!PrefixPattern().IsMatch(prefix) || !SettingText.TrySize(entry[(colon + 1)..], out var w, out var h))
            {
                error = $"thumbnails: '{entry}' is not prefix:WxH; give entries such as small:160x90,large:640x360 (prefix: letters, digits, - and _)";
                return false;
            }

            if (list.Any(s => s.Prefix == prefix))
            {
                error = $"thumbnails: the prefix '{prefix}' is used twice ('{Default.Prefix}' is the default size's); give each size its own prefix";
                return false;
            }

            list.Add(new ThumbnailSpec(prefix, w, h));
        }

        if (list.Count > 8)
        {
            error = "thumbnails: at most 7 sizes besides the default";
            return false;
        }

        specs = list;
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex PrefixPattern();
}
