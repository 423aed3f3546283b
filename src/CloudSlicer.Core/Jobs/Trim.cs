using System.Globalization;

namespace CloudSlicer.Core.Jobs;

/// <summary>The <c>trim</c> slicer setting: <c>StartMs[,DurationMs]</c>.</summary>
public readonly record struct Trim(long StartMs, long? DurationMs)
{
    public TimeSpan Start => TimeSpan.FromMilliseconds(StartMs);

    public TimeSpan? Duration => DurationMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>Parses "5000", "5000,10000" (spaces allowed around the numbers).</summary>
    public static bool TryParse(string? text, out Trim trim, out string error)
    {
        trim = default;
        error = "";
        var parts = (text ?? "").Split(',');
        if (parts.Length > 2 || !TryParseMs(parts[0], out var start))
        {
            error = $"trim '{text}' is not StartMs[,DurationMs] (for example \"5000,10000\": start at 5 s, keep 10 s)";
            return false;
        }

        long? duration = null;
        if (parts.Length == 2)
        {
            if (!TryParseMs(parts[1], out var ms) || ms == 0)
            {
                error = $"trim '{text}' has a duration that is not a positive number of milliseconds";
                return false;
            }

            duration = ms;
        }

        trim = new Trim(start, duration);
        return true;
    }

    public override string ToString() =>
        DurationMs is { } d
            ? string.Create(CultureInfo.InvariantCulture, $"{StartMs},{d}")
            : StartMs.ToString(CultureInfo.InvariantCulture);

    private static bool TryParseMs(string text, out long ms) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ms)
        && ms <= (long)TimeSpan.FromDays(7).TotalMilliseconds;
}
