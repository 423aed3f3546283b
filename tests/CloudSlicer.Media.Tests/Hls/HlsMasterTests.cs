using CloudSlicer.Core.Assets;
using CloudSlicer.Media.Hls;

namespace CloudSlicer.Media.Tests.Hls;

public class HlsMasterTests
{
    private static readonly Ray[] Rays =
    [
        new("a", 320, 180, 30, 300),
        new("b", 640, 360, 30, 800),
        new("c", 1920, 1080, 29.97002997, 5000),
    ];

    [Fact]
    public void Lists_the_audio_rendition_and_every_ray_under_the_asset_prefix()
    {
        var master = HlsMaster.Build(Rays, hasAudio: true, "f00d/");

        Assert.Equal(
            """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",LANGUAGE="en",NAME="English",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="f00d/audio/index.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=578000,AVERAGE-BANDWIDTH=428000,RESOLUTION=320x180,FRAME-RATE=30.000,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio"
            f00d/a/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=1328000,AVERAGE-BANDWIDTH=928000,RESOLUTION=640x360,FRAME-RATE=30.000,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio"
            f00d/b/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=7628000,AVERAGE-BANDWIDTH=5128000,RESOLUTION=1920x1080,FRAME-RATE=29.970,CODECS="avc1.640028,mp4a.40.2",AUDIO="audio"
            f00d/c/index.m3u8

            """.ReplaceLineEndings("\n"),
            master);
    }

    [Fact]
    public void Without_audio_has_no_group_and_video_only_codecs()
    {
        var master = HlsMaster.Build(Rays[..1], hasAudio: false, "");

        Assert.Equal(
            """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-STREAM-INF:BANDWIDTH=450000,AVERAGE-BANDWIDTH=300000,RESOLUTION=320x180,FRAME-RATE=30.000,CODECS="avc1.64001e"
            a/index.m3u8

            """.ReplaceLineEndings("\n"),
            master);
    }

    [Fact]
    public void Counts_the_configured_audio_bit_rate()
    {
        var master = HlsMaster.Build(Rays[..1], hasAudio: true, "x/", audioKbps: 96);

        Assert.Contains("BANDWIDTH=546000,AVERAGE-BANDWIDTH=396000,", master);
    }

    [Fact]
    public void Refuses_an_empty_ladder()
    {
        Assert.Throws<ArgumentException>(() => HlsMaster.Build([], hasAudio: true, "x/"));
    }
}
