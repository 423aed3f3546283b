using System.Xml.Linq;
using CloudSlicer.Slicer.Handlers.Exports;

namespace CloudSlicer.Slicer.Tests.Handlers;

public sealed class CaptionsTtmlTests
{
    private const string Header = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n";

    [Fact]
    public void A_cue_repeated_across_a_slice_boundary_is_one_paragraph_with_its_lines_and_text_unescaped()
    {
        string[] segments =
        [
            Header + "\n00:00:01.000 --> 00:00:05.500 line:90%\nFish &amp; chips\n&lt;loud&gt;\n",
            Header + "\n00:00:01.000 --> 00:00:05.500 line:90%\nFish &amp; chips\n&lt;loud&gt;\n\n00:00:06.000 --> 00:00:07.250\nSecond\n",
        ];

        var cues = CaptionsTtml.ReadCues(segments);
        var ttml = XDocument.Parse(CaptionsTtml.Write(cues, "fr"));

        XNamespace tt = "http://www.w3.org/ns/ttml";
        var paragraphs = ttml.Descendants(tt + "p").ToList();
        Assert.Equal(2, paragraphs.Count);
        Assert.Equal(("00:00:01.000", "00:00:05.500"), ((string)paragraphs[0].Attribute("begin")!, (string)paragraphs[0].Attribute("end")!));
        Assert.Equal("Fish & chips<loud>", paragraphs[0].Value);
        Assert.Single(paragraphs[0].Elements(tt + "br"));
        Assert.Equal(("00:00:06.000", "00:00:07.250", "Second"), ((string)paragraphs[1].Attribute("begin")!, (string)paragraphs[1].Attribute("end")!, paragraphs[1].Value));
        Assert.Equal("fr", (string)ttml.Root!.Attribute(XNamespace.Xml + "lang")!);
    }

    [Fact]
    public void A_track_without_cues_is_an_empty_document() =>
        Assert.Empty(XDocument.Parse(CaptionsTtml.Write(CaptionsTtml.ReadCues([Header, Header]), "en")).Descendants(XName.Get("p", "http://www.w3.org/ns/ttml")));
}
