using System.Globalization;

namespace CloudSlicer.Media.Captions;

/// <summary>
/// WebVTT cue settings applied to every cue of a track, from the job's <c>default_position</c> and
/// <c>default_vertical</c> (docs/captions.md has the table). The seed documents name the two parameters
/// without defining their values, so the accepted words are ours, chosen to map one to one onto WebVTT.
/// </summary>
public sealed record CueSettings(string? Line = null, string? Align = null, string? Vertical = null)
{
    public static readonly CueSettings None = new();

    /// <summary>"line:0 align:left vertical:rl", or "" when nothing is set.</summary>
    public string Text => string.Join(' ', new[] { Vertical is null ? null : "vertical:" + Vertical, Line is null ? null : "line:" + Line, Align is null ? null : "align:" + Align }.OfType<string>());

    /// <param name="defaultPosition">
    /// Words separated by space, '-' or ',': top | middle | bottom (or a percentage 0-100 from the top) for the
    /// line, left | center | right for the alignment. "bottom-left", "top", "80%". Null or "" leaves WebVTT's default (bottom, centred).
    /// </param>
    /// <param name="defaultVertical">rl (or 1, true, tbrl) or lr (tblr) for vertical text; null, "", 0, false or none for horizontal.</param>
    public static CueSettings From(string? defaultPosition, string? defaultVertical)
    {
        string? line = null;
        string? align = null;
        foreach (var word in (defaultPosition ?? "").ToLowerInvariant().Split([' ', '-', ',', '_'], StringSplitOptions.RemoveEmptyEntries))
        {
            switch (word)
            {
                case "top":
                    line = "0";
                    break;
                case "middle":
                    line = "50%,center";
                    break;
                case "bottom":
                    line = "-1";
                    break;
                case "left" or "right" or "center" or "centre":
                    align = word == "centre" ? "center" : word;
                    break;
                default:
                    line = Percent(word) ?? throw new CaptionException(
                        $"default_position '{CaptionException.Quote(defaultPosition!)}' is not made of top, middle, bottom, left, center, right or a percentage (e.g. \"bottom-left\", \"10%\")");
                    break;
            }
        }

        var vertical = (defaultVertical ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "0" or "false" or "none" or "horizontal" or "lrtb" => null,
            "1" or "true" or "rl" or "tbrl" or "vertical" => "rl",
            "lr" or "tblr" => "lr",
            _ => throw new CaptionException($"default_vertical '{CaptionException.Quote(defaultVertical!)}' is not rl, lr, 1 or 0"),
        };

        return new CueSettings(line, align, vertical);
    }

    private static string? Percent(string word)
    {
        var number = word.EndsWith('%') ? word[..^1] : word;
        return number.Length is > 0 and <= 6
            && number.All(c => char.IsAsciiDigit(c) || c == '.')
            && decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && value <= 100
            ? value.ToString("0.##", CultureInfo.InvariantCulture) + "%"
            : null;
    }
}
