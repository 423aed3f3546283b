using System.Text;
using CloudSlicer.Media.Captions;
using static CloudSlicer.Media.Tests.Captions.Ttml;

namespace CloudSlicer.Media.Tests.Captions;

public class TtmlHostileTests
{
    private static CaptionException Rejects(byte[] ttml, TtmlLimits? limits = null)
    {
        var ex = Assert.Throws<CaptionException>(() => TtmlParser.Parse(ttml, limits));
        Assert.True(ex.Permanent);
        Assert.DoesNotContain("/etc", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("For security reasons", ex.Message, StringComparison.Ordinal); // the XmlException's own words
        return ex;
    }

    [Fact]
    public void Billion_laughs_is_refused_as_a_dtd_before_any_expansion()
    {
        var lol = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE tt [\n<!ENTITY lol0 \"lol\">\n");
        for (var i = 1; i < 10; i++)
        {
            lol.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">\n");
        }

        lol.Append("]>\n<tt xmlns=\"http://www.w3.org/ns/ttml\"><body><div><p begin=\"1s\" end=\"2s\">&lol9;</p></div></body></tt>");

        var ex = Rejects(Bytes(lol.ToString()));

        Assert.Equal("line 2: the document has a DTD (<!DOCTYPE ...>); TTML needs none and it is not allowed here, remove it", ex.Message);
    }

    [Fact]
    public void An_external_entity_is_never_read()
    {
        var xxe = "<?xml version=\"1.0\"?><!DOCTYPE tt [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" +
            "<tt xmlns=\"http://www.w3.org/ns/ttml\"><body><div><p begin=\"1s\" end=\"2s\">&x;</p></div></body></tt>";

        var ex = Rejects(Bytes(xxe));

        Assert.Contains("the document has a DTD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undeclared_entity_is_a_clear_error()
    {
        var ex = Rejects(Bytes(Doc("""<div><p begin="1s" end="2s">&nbsp;</p></div>""")));

        Assert.Contains("refers to an entity that is not defined", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("line 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fifty_megabytes_of_text_is_refused_by_size()
    {
        var (head, tail) = (Bytes(Doc("<div><p begin=\"1s\" end=\"2s\">")), Bytes("</p></div>"));
        var big = new byte[head.Length + (50 * 1024 * 1024) + tail.Length];
        head.CopyTo(big, 0);
        big.AsSpan(head.Length, 50 * 1024 * 1024).Fill((byte)'a');
        tail.CopyTo(big, big.Length - tail.Length);

        var ex = Rejects(big);

        Assert.Equal("the TTML document is larger than 10 MiB; captions are far smaller, so this is not a caption file", ex.Message);
    }

    [Fact]
    public async Task A_stream_is_read_no_further_than_the_size_limit()
    {
        var endless = new EndlessStream();

        var ex = await Assert.ThrowsAsync<CaptionException>(() => TtmlParser.ParseAsync(endless, new TtmlLimits { MaxBytes = 1024 * 1024 }));

        Assert.Contains("larger than 1 MiB", ex.Message, StringComparison.Ordinal);
        Assert.True(endless.Served <= (1024 * 1024) + 81920);
    }

    [Fact]
    public void Ten_thousand_nested_spans_are_refused_by_depth()
    {
        var deep = string.Concat(Enumerable.Repeat("<span>", 10_000)) + "x" + string.Concat(Enumerable.Repeat("</span>", 10_000));

        var ex = Rejects(Bytes(Doc($"<div><p begin=\"1s\" end=\"2s\">{deep}</p></div>")));

        Assert.Equal("line 4: elements are nested more than 64 deep; TTML captions need a handful of levels", ex.Message);
    }

    [Fact]
    public void Invalid_utf8_is_a_clear_error()
    {
        var bytes = Bytes(Doc("<div><p begin=\"1s\" end=\"2s\">caf__</p></div>"));
        var at = Array.IndexOf(bytes, (byte)'_');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28; // not a continuation byte

        var ex = Rejects(bytes);

        Assert.Contains("line 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is not valid text in its encoding", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nan SRT file\n", "line 1, column 1: the document is not XML; TTML starts with <?xml ...?> or <tt ...>")]
    [InlineData("{\"json\": true}", "line 1, column 1: the document is not XML; TTML starts with <?xml ...?> or <tt ...>")]
    [InlineData("   ", "the TTML document is empty")]
    [InlineData("<?xml version=\"1.0\"?>", "the document has no root element; it is not TTML")]
    [InlineData("<html><body><p>hi</p></body></html>", "line 1: the root element is <html>, not TTML's <tt>")]
    [InlineData("<tt xmlns=\"http://example.com/tt\"/>", "line 1: <tt> is in namespace 'http://example.com/tt', not TTML's (http://www.w3.org/ns/ttml) or DFXP's (http://www.w3.org/2006/10/ttaf1)")]
    [InlineData("<tt xmlns=\"http://www.w3.org/ns/ttml\"><body><div><p begin=\"1s\">unclosed</div></body></tt>", "line 1, column 74: the document is not well-formed XML")]
    public void Not_ttml_at_all_is_a_clear_error(string text, string message)
    {
        Assert.Equal(message, Rejects(Bytes(text)).Message);
    }

    [Fact]
    public void Binary_garbage_is_a_clear_error()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52 };

        Assert.StartsWith("line 1", Rejects(png).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_cues_than_the_limit_is_a_clear_error()
    {
        var body = string.Concat(Enumerable.Range(0, 20).Select(i => $"<p begin=\"{i}s\" end=\"{i + 1}s\">{i}</p>"));

        var ex = Rejects(Bytes(Doc($"<div>{body}</div>")), new TtmlLimits { MaxCues = 10 });

        Assert.Contains("more than 10 cues", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Serves 'a' for ever and counts what it served.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'a');
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
