using CloudSlicer.Slicer.Handlers.Parts;

namespace CloudSlicer.Slicer.Tests.Handlers.Parts;

public sealed class PlaylistJoinTests
{
    private const string First = """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:4
        #EXT-X-MEDIA-SEQUENCE:0
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MAP:URI="init.mp4"
        #EXTINF:4.100000,
        seg_00000.m4s
        #EXTINF:4.100000,
        seg_00001.m4s
        #EXT-X-ENDLIST

        """;

    private const string Second = """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:5
        #EXT-X-MEDIA-SEQUENCE:2
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MAP:URI="init.mp4"
        #EXTINF:4.100000,
        seg_00002.m4s
        #EXTINF:0.400000,
        seg_00003.m4s
        #EXT-X-ENDLIST

        """;

    [Fact]
    public void The_join_lists_every_parts_slices_in_order_under_the_first_parts_header_with_no_discontinuity()
    {
        var joined = PlaylistJoin.Join([First, Second]);

        Assert.Equal("""
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:5
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:4.100000,
            seg_00000.m4s
            #EXTINF:4.100000,
            seg_00001.m4s
            #EXTINF:4.100000,
            seg_00002.m4s
            #EXTINF:0.400000,
            seg_00003.m4s
            #EXT-X-ENDLIST

            """, joined);
        Assert.Equal(4, PlaylistJoin.SliceCount(joined));
        Assert.Equal(12.7, PlaylistJoin.Duration(joined).TotalSeconds, precision: 6);
    }
}
