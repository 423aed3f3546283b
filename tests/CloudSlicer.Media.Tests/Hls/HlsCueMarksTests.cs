using CloudSlicer.Media.Hls;

namespace CloudSlicer.Media.Tests.Hls;

public class HlsCueMarksTests
{
    private const string Playlist = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4.096000,\nseg_00000.m4s\n#EXTINF:4.096000,\nseg_00001.m4s\n#EXTINF:1.000000,\nseg_00002.m4s\n#EXT-X-ENDLIST\n";

    [Fact]
    public void Ad_breaks_are_marked_on_the_nearest_slice_boundary()
    {
        var marked = HlsCueMarks.Insert(Playlist, [0, 5, 9.2]);

        Assert.Equal(
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init.mp4\"\n"
            + "#EXT-X-CUE-OUT:0\n#EXT-X-CUE-IN\n#EXTINF:4.096000,\nseg_00000.m4s\n"
            + "#EXT-X-CUE-OUT:0\n#EXT-X-CUE-IN\n#EXTINF:4.096000,\nseg_00001.m4s\n#EXTINF:1.000000,\nseg_00002.m4s\n"
            + "#EXT-X-CUE-OUT:0\n#EXT-X-CUE-IN\n#EXT-X-ENDLIST\n",
            marked);
    }

    [Fact]
    public void A_playlist_without_breaks_is_left_as_it_is()
    {
        Assert.Same(Playlist, HlsCueMarks.Insert(Playlist, []));
    }
}
