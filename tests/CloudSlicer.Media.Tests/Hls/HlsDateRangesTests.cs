using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Media.Hls;

namespace CloudSlicer.Media.Tests.Hls;

public class HlsDateRangesTests
{
    private const string Playlist = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4.096000,\nseg_00000.m4s\n#EXT-X-ENDLIST\n";

    [Fact]
    public void Timed_metadata_becomes_date_ranges_dated_from_the_epoch()
    {
        var tagged = HlsDateRanges.Insert(Playlist, [new TimedMetadata(1500, "TIT2", "Chapter one"), new TimedMetadata(65_000, "my_field", "x")]);

        Assert.Equal(
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI=\"init.mp4\"\n"
            + "#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:00.000Z\n"
            + "#EXT-X-DATERANGE:ID=\"timedmeta-0\",START-DATE=\"1970-01-01T00:00:01.500Z\",X-TIT2=\"Chapter one\"\n"
            + "#EXT-X-DATERANGE:ID=\"timedmeta-1\",START-DATE=\"1970-01-01T00:01:05.000Z\",X-MY-FIELD=\"x\"\n"
            + "#EXTINF:4.096000,\nseg_00000.m4s\n#EXT-X-ENDLIST\n",
            tagged);
    }
}
