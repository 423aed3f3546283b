using System.Globalization;
using System.Text;

namespace CloudSlicer.Media.Hls;

/// <summary>
/// Marks ad breaks in a rendition's playlist (written by ffmpeg's hls muxer, so this edits its text): a
/// zero-length <c>#EXT-X-CUE-OUT:0</c> / <c>#EXT-X-CUE-IN</c> pair, the VOD form ad inserters such as
/// MediaTailor read, on the slice boundary nearest the break (slices cannot be split: every ray shares them).
/// </summary>
public static class HlsCueMarks
{
    public const string CueOut = "#EXT-X-CUE-OUT:0";
    public const string CueIn = "#EXT-X-CUE-IN";

    /// <param name="playlist">A media playlist's text.</param>
    /// <param name="offsets">Break points in seconds of the asset's timeline.</param>
    public static string Insert(string playlist, IReadOnlyList<double> offsets)
    {
        if (offsets.Count == 0)
        {
            return playlist;
        }

        var lines = playlist.Split('\n');
        // Each segment's start time and the index of its #EXTINF line; the end of the list is one more boundary.
        var boundaries = new List<(double Time, int Line)>();
        var time = 0.0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                boundaries.Add((time, i));
                time += double.Parse(lines[i]["#EXTINF:".Length..].Split(',')[0], CultureInfo.InvariantCulture);
            }
            else if (lines[i].StartsWith("#EXT-X-ENDLIST", StringComparison.Ordinal))
            {
                boundaries.Add((time, i));
            }
        }

        if (boundaries.Count == 0)
        {
            return playlist;
        }

        var marked = offsets.Select(o => boundaries.MinBy(b => Math.Abs(b.Time - o)).Line).ToHashSet();
        var text = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            if (marked.Contains(i))
            {
                text.Append(CueOut).Append('\n').Append(CueIn).Append('\n');
            }

            text.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                text.Append('\n');
            }
        }

        return text.ToString();
    }
}
