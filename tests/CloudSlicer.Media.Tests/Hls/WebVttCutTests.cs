using CloudSlicer.Media.Clips;

namespace CloudSlicer.Media.Tests.Hls;

public class WebVttCutTests
{
    [Fact]
    public void An_edge_caption_segment_keeps_only_the_cues_shown_in_the_clip_cut_to_it()
    {
        const string Vtt = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n1\n00:00:00.500 --> 00:00:01.500 line:90%\nbefore\n\n2\n00:00:02.000 --> 00:00:04.000\nacross the start\n\n3\n00:00:05.000 --> 00:00:06.000\ninside\n";

        // The map puts local 0 at 10 s of the media timeline: the clip [12.5, 15.5) is local [2.5, 5.5).
        var cut = WebVttCut.Cut(Vtt, 12_500, 15_500);

        Assert.DoesNotContain("before", cut, StringComparison.Ordinal);
        Assert.Contains("00:00:02.500 --> 00:00:04.000\nacross the start", cut, StringComparison.Ordinal);
        Assert.Contains("00:00:05.000 --> 00:00:05.500\ninside", cut, StringComparison.Ordinal);
        Assert.StartsWith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n", cut, StringComparison.Ordinal);
    }
}
