using System.Globalization;

namespace CloudSlicer.Media.Ffmpeg;

/// <summary>One block of <c>-progress</c> output, closed by its <c>progress=continue|end</c> line.</summary>
/// <param name="OutTime">How much output ffmpeg has written, in output time.</param>
/// <param name="IsEnd">ffmpeg finished (<c>progress=end</c>).</param>
public readonly record struct FfmpegProgressUpdate(TimeSpan OutTime, bool IsEnd)
{
    /// <summary>0..1 of <paramref name="expected"/>; 1 once ffmpeg says it has ended.</summary>
    public double FractionOf(TimeSpan expected)
    {
        if (IsEnd)
        {
            return 1;
        }

        return expected > TimeSpan.Zero ? Math.Clamp(OutTime / expected, 0, 1) : 0;
    }
}

/// <summary>
/// Parses ffmpeg's <c>-progress</c> key=value lines (pure). Feed it lines; it answers with an update at
/// the end of each block. Values are "N/A" before the first output and may be negative around a seek.
/// </summary>
public sealed class FfmpegProgress
{
    private TimeSpan _outTime;
    private TimeSpan? _blockTime;
    private int _blockPrecision;

    /// <summary>Reads one line; returns an update when the line closes a block, otherwise null.</summary>
    public FfmpegProgressUpdate? Read(string line)
    {
        var eq = line.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return null;
        }

        var key = line.AsSpan(0, eq).Trim();
        var value = line.AsSpan(eq + 1).Trim();
        switch (key)
        {
            // Most precise first. out_time_ms is, despite its name, microseconds (an ffmpeg quirk kept for compatibility).
            case "out_time_us":
                Offer(Microseconds(value), precision: 3);
                break;
            case "out_time_ms":
                Offer(Microseconds(value), precision: 2);
                break;
            case "out_time":
                Offer(Clock(value), precision: 1);
                break;
            case "progress":
                if (_blockTime is { } t)
                {
                    _outTime = t < TimeSpan.Zero ? TimeSpan.Zero : t;
                }

                _blockTime = null;
                _blockPrecision = 0;
                return new FfmpegProgressUpdate(_outTime, value.SequenceEqual("end"));
        }

        return null;
    }

    private void Offer(TimeSpan? time, int precision)
    {
        if (time is { } t && precision > _blockPrecision)
        {
            _blockTime = t;
            _blockPrecision = precision;
        }
    }

    private static TimeSpan? Microseconds(ReadOnlySpan<char> value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var us)
            ? TimeSpan.FromMicroseconds(us)
            : null;

    /// <summary>"00:01:02.500000", or "-00:00:00.021333" before the first frame.</summary>
    private static TimeSpan? Clock(ReadOnlySpan<char> value)
    {
        var negative = value.StartsWith("-");
        var parts = (negative ? value[1..] : value).ToString().Split(':');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !double.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s))
        {
            return null;
        }

        var t = TimeSpan.FromHours(h) + TimeSpan.FromMinutes(m) + TimeSpan.FromSeconds(s);
        return negative ? -t : t;
    }
}
