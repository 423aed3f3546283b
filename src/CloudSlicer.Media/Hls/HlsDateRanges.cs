using System.Globalization;
using System.Text;
using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Media.Hls;

/// <summary>
/// Carries <c>timedmeta</c> in a rendition's playlist as <c>#EXT-X-DATERANGE</c> tags (ffmpeg 5.1 cannot write
/// in-band ID3 into CMAF fragments). A date range needs a program date, so the first slice is dated at the
/// Unix epoch: a tag's START-DATE less 1970-01-01T00:00:00Z is its time in the asset. Each field becomes an
/// <c>X-</c> attribute (TIT2 → X-TIT2, my_field → X-MY-FIELD).
/// </summary>
public static class HlsDateRanges
{
    public const string ProgramDateTime = "#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:00.000Z";

    public static string Insert(string playlist, IReadOnlyList<TimedMetadata> entries)
    {
        if (entries.Count == 0)
        {
            return playlist;
        }

        var first = playlist.IndexOf("#EXTINF:", StringComparison.Ordinal);
        if (first < 0)
        {
            return playlist;
        }

        var tags = new StringBuilder().Append(ProgramDateTime).Append('\n');
        foreach (var (e, i) in entries.Select((e, i) => (e, i)))
        {
            var start = DateTime.UnixEpoch.AddMilliseconds(e.TimeMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            tags.Append(CultureInfo.InvariantCulture, $"#EXT-X-DATERANGE:ID=\"timedmeta-{i}\",START-DATE=\"{start}\",")
                .Append("X-").Append(e.Field.ToUpperInvariant().Replace('_', '-')).Append("=\"").Append(e.Value).Append("\"\n");
        }

        return playlist.Insert(first, tags.ToString());
    }
}
