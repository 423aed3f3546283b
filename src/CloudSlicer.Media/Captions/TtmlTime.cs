using System.Globalization;

namespace CloudSlicer.Media.Captions;

/// <summary>
/// TTML time expressions (TTML2 §10.3.1): clock times <c>hh:mm:ss</c>, <c>hh:mm:ss.fraction</c>,
/// <c>hh:mm:ss:frames[.subframes]</c>, and offset times <c>number metric</c> with h, m, s, ms, f (frames) or t (ticks).
/// </summary>
internal static class TtmlTime
{
    /// <summary>Far beyond any asset, short of TimeSpan's end: a larger time is an error, not a wrap-around.</summary>
    private const decimal MaxSeconds = 100_000m * 3600m;

    /// <summary>The expression as a duration from its sync base; a CaptionException naming the attribute and line when it is not one.</summary>
    public static TimeSpan Parse(string attribute, string text, TtmlTimeParameters p, int line)
    {
        var value = text.Trim();
        var seconds = value.Contains(':', StringComparison.Ordinal) ? Clock(value, p) : Offset(value, p);
        if (seconds is null)
        {
            throw CaptionException.At(line, $"{attribute} '{CaptionException.Quote(text)}' is not a TTML time expression");
        }

        if (seconds > MaxSeconds)
        {
            throw CaptionException.At(line, $"{attribute} '{CaptionException.Quote(text)}' is beyond 100,000 hours");
        }

        return TimeSpan.FromTicks((long)decimal.Round(seconds.Value * TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero));
    }

    private static decimal? Clock(string value, TtmlTimeParameters p)
    {
        var parts = value.Split(':');
        if (parts.Length is not (3 or 4)
            || !Digits(parts[0], 2, 6, out var hours)
            || !Digits(parts[1], 2, 2, out var minutes) || minutes >= 60)
        {
            return null;
        }

        decimal seconds;
        if (parts.Length == 3)
        {
            // hh:mm:ss or hh:mm:ss.fraction
            var dot = parts[2].IndexOf('.', StringComparison.Ordinal);
            var whole = dot < 0 ? parts[2] : parts[2][..dot];
            if (!Digits(whole, 2, 2, out var s) || s > 60)
            {
                return null;
            }

            seconds = s;
            if (dot >= 0)
            {
                var fraction = parts[2][(dot + 1)..];
                if (!Digits(fraction, 1, 18, out _))
                {
                    return null;
                }

                seconds += decimal.Parse("0." + fraction, CultureInfo.InvariantCulture);
            }
        }
        else
        {
            // hh:mm:ss:frames or hh:mm:ss:frames.subframes
            if (!Digits(parts[2], 2, 2, out var s) || s > 60)
            {
                return null;
            }

            var dot = parts[3].IndexOf('.', StringComparison.Ordinal);
            var framesText = dot < 0 ? parts[3] : parts[3][..dot];
            if (!Digits(framesText, 2, 4, out var frames) || frames >= decimal.Ceiling(p.FrameRate))
            {
                return null;
            }

            decimal subFrames = 0;
            if (dot >= 0 && (!Digits(parts[3][(dot + 1)..], 1, 4, out subFrames) || subFrames >= p.SubFrameRate))
            {
                return null;
            }

            seconds = s + ((frames + (subFrames / p.SubFrameRate)) / p.EffectiveFrameRate);
        }

        return (hours * 3600m) + (minutes * 60m) + seconds;
    }

    private static decimal? Offset(string value, TtmlTimeParameters p)
    {
        var unit = value.EndsWith("ms", StringComparison.Ordinal) ? "ms" : value.Length > 0 ? value[^1..] : "";
        var number = value[..^unit.Length];
        var dot = number.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? number : number[..dot];
        if (!Digits(whole, 1, 18, out _) || (dot >= 0 && !Digits(number[(dot + 1)..], 1, 18, out _)))
        {
            return null;
        }

        var n = decimal.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return unit switch
        {
            "h" => n * 3600m,
            "m" => n * 60m,
            "s" => n,
            "ms" => n / 1000m,
            "f" => n / p.EffectiveFrameRate,
            "t" => n / p.TickRate,
            _ => null,
        };
    }

    private static bool Digits(string text, int minLength, int maxLength, out decimal value)
    {
        value = 0;
        if (text.Length < minLength || text.Length > maxLength || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        value = decimal.Parse(text, CultureInfo.InvariantCulture);
        return true;
    }
}
