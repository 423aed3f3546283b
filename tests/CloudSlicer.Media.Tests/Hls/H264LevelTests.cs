using CloudSlicer.Core.Assets;

namespace CloudSlicer.Media.Tests.Hls;

public class H264LevelTests
{
    [Theory]
    [InlineData(320, 180, 30, 300, 30, "3.0", "avc1.64001e")]
    [InlineData(640, 360, 30, 800, 30, "3.0", "avc1.64001e")]
    [InlineData(854, 480, 30, 1400, 31, "3.1", "avc1.64001f")]
    [InlineData(1280, 720, 30, 2800, 31, "3.1", "avc1.64001f")]
    [InlineData(1280, 720, 60, 2800, 32, "3.2", "avc1.640020")]
    [InlineData(1920, 1080, 30, 5000, 40, "4.0", "avc1.640028")]
    [InlineData(1920, 1080, 60, 5000, 42, "4.2", "avc1.64002a")]
    [InlineData(1920, 1080, 30, 20000, 41, "4.1", "avc1.640029")]
    [InlineData(3840, 2160, 30, 16000, 51, "5.1", "avc1.640033")]
    public void Picks_the_lowest_level_that_fits(int width, int height, double fps, int kbps, int idc, string argument, string codecs)
    {
        var level = H264Level.For(new Ray("a", width, height, fps, kbps));

        Assert.Equal((idc, argument, codecs), (level, H264Level.Argument(level), H264Level.Codecs(level)));
    }

    [Fact]
    public void Refuses_what_no_level_allows()
    {
        Assert.Throws<ArgumentException>(() => H264Level.For(new Ray("a", 7680, 4320, 60, 80000)));
    }
}
