using System.Globalization;

namespace CloudSlicer.Media.Captions;

/// <summary>
/// The <c>ttp:</c> parameters on <c>&lt;tt&gt;</c> that give frames and ticks their length (TTML2 §7.2).
/// </summary>
internal sealed record TtmlTimeParameters(decimal FrameRate, decimal SubFrameRate, decimal FrameRateMultiplier, decimal TickRate)
{
    /// <summary>30 fps, one sub-frame, no multiplier, one tick a second: TTML's defaults when nothing is said.</summary>
    public static readonly TtmlTimeParameters Default = new(30m, 1m, 1m, 1m);

    /// <summary>Frames per second after <c>ttp:frameRateMultiplier</c> (30 x 1000/1001 = 29.97...).</summary>
    public decimal EffectiveFrameRate => FrameRate * FrameRateMultiplier;

    /// <param name="frameRate">ttp:frameRate, or null.</param>
    /// <param name="subFrameRate">ttp:subFrameRate, or null.</param>
    /// <param name="multiplier">ttp:frameRateMultiplier ("1000 1001"), or null.</param>
    /// <param name="tickRate">ttp:tickRate, or null: then frame rate x sub-frame rate when a frame rate is given, else 1.</param>
    /// <param name="line">Where the attributes are, for messages.</param>
    public static TtmlTimeParameters From(string? frameRate, string? subFrameRate, string? multiplier, string? tickRate, int line)
    {
        var fr = frameRate is null ? Default.FrameRate : PositiveInteger("ttp:frameRate", frameRate, line);
        var sub = subFrameRate is null ? Default.SubFrameRate : PositiveInteger("ttp:subFrameRate", subFrameRate, line);
        var mult = multiplier is null ? 1m : Multiplier(multiplier, line);
        var effective = fr * mult;
        var ticks = tickRate is not null
            ? PositiveInteger("ttp:tickRate", tickRate, line)
            : frameRate is not null ? effective * sub : 1m;
        return new TtmlTimeParameters(fr, sub, mult, ticks);
    }

    private static decimal PositiveInteger(string name, string text, int line)
    {
        var value = text.Trim();
        if (value.Length is 0 or > 9 || !value.All(char.IsAsciiDigit) || decimal.Parse(value, CultureInfo.InvariantCulture) == 0)
        {
            throw CaptionException.At(line, $"{name} '{CaptionException.Quote(text)}' is not a positive whole number");
        }

        return decimal.Parse(value, CultureInfo.InvariantCulture);
    }

    private static decimal Multiplier(string text, int line)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw CaptionException.At(line, $"ttp:frameRateMultiplier '{CaptionException.Quote(text)}' is not two whole numbers (e.g. \"1000 1001\")");
        }

        return PositiveInteger("ttp:frameRateMultiplier", parts[0], line) / PositiveInteger("ttp:frameRateMultiplier", parts[1], line);
    }
}
