using CloudSlicer.Media.Captions;
using static CloudSlicer.Media.Tests.Captions.Ttml;

namespace CloudSlicer.Media.Tests.Captions;

public class TtmlTimingTests
{
    [Theory]
    [InlineData("00:00:01", "00:00:02", "", 1000, 2000)]
    [InlineData("00:00:01.5", "00:00:02.250", "", 1500, 2250)]
    [InlineData("01:02:03.004", "01:02:04", "", 3723004, 3724000)]
    [InlineData("100:00:00", "100:00:01", "", 360000000, 360001000)]
    [InlineData("00:00:01:15", "00:00:02:00", "ttp:frameRate=\"30\"", 1500, 2000)]
    [InlineData("00:00:01:12", "00:00:02:00", "ttp:frameRate=\"24\"", 1500, 2000)]
    [InlineData("00:00:00:15", "00:00:01:00", "ttp:frameRate=\"30\" ttp:frameRateMultiplier=\"1000 1001\"", 500.5, 1000)]
    [InlineData("00:00:00:01.1", "00:00:01:00", "ttp:frameRate=\"25\" ttp:subFrameRate=\"2\"", 60, 1000)]
    [InlineData("00:00:00:15", "00:00:01:00", "", 500, 1000)]
    [InlineData("1.5s", "2s", "", 1500, 2000)]
    [InlineData("1500ms", "2500.5ms", "", 1500, 2500.5)]
    [InlineData("0.5m", "1m", "", 30000, 60000)]
    [InlineData("0.001h", "1h", "", 3600, 3600000)]
    [InlineData("15f", "60f", "ttp:frameRate=\"30\"", 500, 2000)]
    [InlineData("15f", "60f", "", 500, 2000)]
    [InlineData("30f", "60f", "ttp:frameRate=\"30\" ttp:frameRateMultiplier=\"1000 1001\"", 1001, 2002)]
    [InlineData("10000000t", "25000000t", "ttp:tickRate=\"10000000\"", 1000, 2500)]
    [InlineData("3t", "5t", "", 3000, 5000)]
    [InlineData("50t", "100t", "ttp:frameRate=\"25\"", 2000, 4000)]
    [InlineData("100t", "200t", "ttp:frameRate=\"25\" ttp:subFrameRate=\"2\"", 2000, 4000)]
    public void Every_time_expression_form_gives_the_right_time(string begin, string end, string tt, double startMs, double endMs)
    {
        var cue = Single(Doc($"""<div><p begin="{begin}" end="{end}">x</p></div>""", tt));

        Assert.Equal(Ms(startMs), cue.Start);
        if (endMs > startMs)
        {
            Assert.Equal(Ms(endMs), cue.End);
        }
    }

    [Fact]
    public void Dur_counts_from_the_element_begin_and_the_earlier_of_end_and_dur_wins()
    {
        var cues = Parse(Doc("""<div><p begin="2s" dur="1.5s">a</p><p begin="5s" end="6s" dur="3s">b</p></div>"""));

        Assert.Equal([(Ms(2000), Ms(3500)), (Ms(5000), Ms(6000))], cues.Select(c => (c.Start, c.End)));
    }

    [Fact]
    public void Times_are_relative_to_the_parent_and_no_element_outlives_it()
    {
        var cues = Parse(Doc("""
            <div begin="10s" end="20s">
              <p begin="1s" end="2s">inside</p>
              <p begin="8s" end="15s">clipped</p>
              <p begin="12s" end="13s">after the div</p>
            </div>
            """));

        Assert.Equal(
            [("inside", Ms(11000), Ms(12000)), ("clipped", Ms(18000), Ms(20000))],
            cues.Select(c => (c.Text, c.Start, c.End)));
    }

    [Fact]
    public void Body_timing_shifts_everything_inside_it()
    {
        var xml = Doc("<div><p begin=\"1s\" end=\"2s\">x</p></div>").Replace("<body>", "<body begin=\"00:00:05.000\">", StringComparison.Ordinal);

        var cue = Single(xml);

        Assert.Equal((Ms(6000), Ms(7000)), (cue.Start, cue.End));
    }

    [Fact]
    public void Spans_with_their_own_timing_split_the_paragraph_into_cues()
    {
        var cues = Parse(Doc("""<div><p begin="1s" end="5s">Hello <span begin="2s">world</span></p></div>"""));

        Assert.Equal(
            [("Hello", Ms(1000), Ms(3000)), ("Hello world", Ms(3000), Ms(5000))],
            cues.Select(c => (c.Text, c.Start, c.End)));
    }

    [Fact]
    public void A_seq_container_starts_each_child_when_the_previous_one_ends()
    {
        var cues = Parse(Doc("""<div timeContainer="seq" begin="1s"><p dur="2s">one</p><p begin="1s" dur="1s">two</p></div>"""));

        Assert.Equal(
            [("one", Ms(1000), Ms(3000)), ("two", Ms(4000), Ms(5000))],
            cues.Select(c => (c.Text, c.Start, c.End)));
    }

    [Fact]
    public void A_paragraph_with_no_end_lasts_indefinitely()
    {
        var cue = Single(Doc("""<div><p begin="3s">open</p></div>"""));

        Assert.Equal((Ms(3000), Cue.Indefinite), (cue.Start, cue.End));
    }

    [Theory]
    [InlineData("00:00:xx")]
    [InlineData("1:2:3")]
    [InlineData("00:60:00")]
    [InlineData("00:00:01:30")]
    [InlineData("5x")]
    [InlineData("-1s")]
    [InlineData("1e3s")]
    [InlineData("s")]
    [InlineData("")]
    [InlineData("1.s")]
    public void A_bad_time_expression_is_a_clear_error_naming_its_line(string begin)
    {
        var xml = Doc($"""

            <div>
              <p begin="{begin}" end="10s">x</p>
            </div>
            """);

        var ex = Assert.Throws<CaptionException>(() => Parse(xml));

        Assert.Equal($"line 6: begin '{begin}' is not a TTML time expression", ex.Message);
        Assert.True(ex.Permanent);
    }

    [Fact]
    public void A_time_beyond_any_asset_is_an_error_not_an_overflow()
    {
        var ex = Assert.Throws<CaptionException>(() => Parse(Doc("""<div><p begin="999999999999999999h">x</p></div>""")));

        Assert.Contains("begin '999999999999999999h' is beyond 100,000 hours", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ttp:frameRate=\"0\"", "ttp:frameRate '0' is not a positive whole number")]
    [InlineData("ttp:tickRate=\"abc\"", "ttp:tickRate 'abc' is not a positive whole number")]
    [InlineData("ttp:frameRateMultiplier=\"1000\"", "ttp:frameRateMultiplier '1000' is not two whole numbers")]
    [InlineData("ttp:timeBase=\"clock\"", "ttp:timeBase 'clock' is not supported")]
    public void A_bad_timing_parameter_is_a_clear_error(string tt, string message)
    {
        var ex = Assert.Throws<CaptionException>(() => Parse(Doc("""<div><p begin="1s">x</p></div>""", tt)));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("line 2: ", ex.Message, StringComparison.Ordinal);
    }
}
