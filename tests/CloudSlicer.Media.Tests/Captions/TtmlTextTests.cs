using CloudSlicer.Media.Captions;
using static CloudSlicer.Media.Tests.Captions.Ttml;

namespace CloudSlicer.Media.Tests.Captions;

public class TtmlTextTests
{
    [Fact]
    public void Br_breaks_lines_and_nested_spans_keep_their_text()
    {
        var cue = Single(Doc("""
            <div><p begin="1s" end="2s">
                First <span style="s1">line <span tts:fontWeight="bold">with</span> spans</span><br/>
                second   line
            </p></div>
            """));

        Assert.Equal(["First line with spans", "second line"], cue.Lines);
    }

    [Fact]
    public void Default_white_space_collapses_and_preserve_keeps_spaces_and_line_feeds()
    {
        var cues = Parse(Doc("""
            <div>
              <p begin="1s" end="2s">  a
                 b	c  </p>
              <p begin="3s" end="4s" xml:space="preserve">x  y
            z</p>
            </div>
            """));

        Assert.Equal(["a b c"], cues[0].Lines);
        Assert.Equal(["x  y", "z"], cues[1].Lines);
    }

    [Fact]
    public void Entities_and_character_references_become_their_characters()
    {
        var cue = Single(Doc("""<div><p begin="1s" end="2s">Tom &amp; Jerry &lt;3 &#233;t&#xE9;</p></div>"""));

        Assert.Equal("Tom & Jerry <3 été", cue.Text);
    }

    [Fact]
    public void Head_metadata_and_empty_paragraphs_give_no_cues()
    {
        var cues = Parse(Doc("""
            <metadata xmlns:ttm="http://www.w3.org/ns/ttml#metadata"><ttm:title>not a caption</ttm:title></metadata>
            <div><p begin="1s" end="2s">   </p><p begin="3s" end="4s"/><p begin="5s" end="6s">real</p></div>
            """));

        Assert.Equal("real", Assert.Single(cues).Text);
    }

    [Theory]
    [InlineData("http://www.w3.org/2006/10/ttaf1")]
    [InlineData("http://www.w3.org/2006/04/ttaf1")]
    public void Dfxp_namespaces_are_read_like_ttml(string ns)
    {
        var cues = Parse(Doc("""<div><p begin="00:00:01.00" end="00:00:02.00">Old<br/>DFXP</p><p begin="30f" dur="30f">frames</p></div>""", "ttp:frameRate=\"30\"", ns));

        Assert.Equal(
            [("Old\nDFXP", Ms(1000), Ms(2000)), ("frames", Ms(1000), Ms(2000))],
            cues.Select(c => (c.Text, c.Start, c.End)));
    }

    [Fact]
    public void An_imsc1_text_profile_document_is_read()
    {
        const string imsc1 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <tt xml:lang="en" xmlns="http://www.w3.org/ns/ttml"
                xmlns:ttp="http://www.w3.org/ns/ttml#parameter" xmlns:tts="http://www.w3.org/ns/ttml#styling"
                xmlns:ttm="http://www.w3.org/ns/ttml#metadata" xmlns:ittp="http://www.w3.org/ns/ttml/profile/imsc1#parameter"
                xmlns:itts="http://www.w3.org/ns/ttml/profile/imsc1#styling"
                ttp:profile="http://www.w3.org/ns/ttml/profile/imsc1/text" ttp:timeBase="media"
                ttp:frameRate="25" ttp:tickRate="10000000" ittp:aspectRatio="16 9">
              <head>
                <metadata><ttm:title>Sample</ttm:title></metadata>
                <styling>
                  <style xml:id="base" tts:color="white" tts:fontFamily="proportionalSansSerif" tts:fontSize="100%" itts:fillLineGap="true"/>
                  <style xml:id="it" tts:fontStyle="italic"/>
                </styling>
                <layout>
                  <region xml:id="bottom" tts:origin="10% 80%" tts:extent="80% 15%" tts:displayAlign="after" tts:textAlign="center"/>
                </layout>
              </head>
              <body style="base">
                <div region="bottom">
                  <p xml:id="c1" begin="10000000t" end="35000000t">IMSC1 text<br/><span style="it">in italics</span></p>
                  <p xml:id="c2" begin="00:00:04:00" end="00:00:05:12">frames at 25 fps</p>
                </div>
              </body>
            </tt>
            """;

        var cues = Parse(imsc1);

        Assert.Equal(
            [("IMSC1 text\nin italics", Ms(1000), Ms(3500)), ("frames at 25 fps", Ms(4000), Ms(5480))],
            cues.Select(c => (c.Text, c.Start, c.End)));
    }

    [Fact]
    public void Cues_come_out_in_time_order()
    {
        var cues = Parse(Doc("""<div><p begin="5s" end="6s">b</p></div><div><p begin="1s" end="2s">a</p></div>"""));

        Assert.Equal(["a", "b"], cues.Select(c => c.Text));
    }
}
