using System.Globalization;
using CloudSlicer.Core.Assets;

namespace CloudSlicer.Media;

/// <summary>
/// The H.264 level a ray is encoded at. Both the encoder command (<c>-level</c>) and the master
/// playlist (<c>CODECS="avc1.6400xx"</c>) read it from here, so what the master announces is what
/// the stream carries.
/// </summary>
public static class H264Level
{
    // ITU-T H.264 Table A-1: macroblocks per second, per frame, and bit rate (kbit/s, Main; High is x1.25).
    // Nothing below 3.0: every player that plays HLS decodes it, and lower levels buy nothing.
    private static readonly (int Idc, long MaxMbps, int MaxFs, int MaxKbps)[] Levels =
    [
        (30, 40_500, 1_620, 10_000),
        (31, 108_000, 3_600, 14_000),
        (32, 216_000, 5_120, 20_000),
        (40, 245_760, 8_192, 20_000),
        (41, 245_760, 8_192, 50_000),
        (42, 522_240, 8_704, 50_000),
        (50, 589_824, 22_080, 135_000),
        (51, 983_040, 36_864, 240_000),
        (52, 2_073_600, 36_864, 240_000),
    ];

    /// <summary>The lowest level (as level_idc, e.g. 31 for 3.1) that fits the ray's size, rate and peak bit rate.</summary>
    public static int For(Ray ray)
    {
        var widthMbs = (ray.Width + 15) / 16;
        var heightMbs = (ray.Height + 15) / 16;
        var frameMbs = widthMbs * heightMbs;
        var mbps = (long)Math.Ceiling(frameMbs * ray.FrameRate);
        foreach (var level in Levels)
        {
            // A frame may not be longer on either side than sqrt(8 * MaxFS) macroblocks (A.3.1).
            var maxSide = Math.Sqrt(8.0 * level.MaxFs);
            if (frameMbs <= level.MaxFs && widthMbs <= maxSide && heightMbs <= maxSide
                && mbps <= level.MaxMbps && ray.MaxKbps <= level.MaxKbps * 5 / 4)
            {
                return level.Idc;
            }
        }

        throw new ArgumentException($"ray {ray.Name} ({ray.Width}x{ray.Height}) is beyond H.264 level 5.2", nameof(ray));
    }

    /// <summary>The <c>-level</c> value x264 takes: "3.1".</summary>
    public static string Argument(int idc) =>
        string.Create(CultureInfo.InvariantCulture, $"{idc / 10}.{idc % 10}");

    /// <summary>RFC 6381 codec string for High profile, no constraint flags: "avc1.64001f".</summary>
    public static string Codecs(int idc) =>
        string.Create(CultureInfo.InvariantCulture, $"avc1.6400{idc:x2}");
}
