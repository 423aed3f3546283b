using System.Globalization;
using System.Text;

namespace CloudSlicer.Slicer.Handlers.Parts;

/// <summary>
/// One rendition's playlist over every part's slices (pure): the first part's header (its media sequence is 0),
/// every part's slices in order, the longest target duration, one end. The parts were encoded with their place in
/// the asset (timestamps, slice numbers), so no discontinuity is marked: the slices play as one stream.
/// </summary>
public static class PlaylistJoin
{
    public static string Join(IReadOnlyList<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var header = new List<string>();
        var slices = new List<string>();
        var target = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var inSlices = false;
            foreach (var line in parts[i].Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal))
                {
                    target = Math.Max(target, int.Parse(line["#EXT-X-TARGETDURATION:".Length..], CultureInfo.InvariantCulture));
                    if (i == 0)
                    {
                        header.Add(line);   // rewritten below with the longest of all parts
                    }
                }
                else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal) || inSlices)
                {
                    inSlices = line != "#EXT-X-ENDLIST";
                    if (inSlices)
                    {
                        slices.Add(line);
                    }
                }
                else if (i == 0)
                {
                    header.Add(line);
                }
            }
        }

        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append(line.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal)
                ? string.Create(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{target}")
                : line).Append('\n');
        }

        foreach (var line in slices)
        {
            text.Append(line).Append('\n');
        }

        return text.Append("#EXT-X-ENDLIST\n").ToString();
    }

    /// <summary>How many slices a playlist lists.</summary>
    public static int SliceCount(string playlist) =>
        playlist.Split('\n').Count(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal));

    /// <summary>The playlist's length: the sum of its slices' durations.</summary>
    public static TimeSpan Duration(string playlist) => TimeSpan.FromSeconds(playlist.Split('\n')
        .Where(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal))
        .Sum(l => double.Parse(l["#EXTINF:".Length..].TrimEnd(','), CultureInfo.InvariantCulture)));
}
