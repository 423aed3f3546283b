using System.Text;
using CloudSlicer.Media.Captions;

namespace CloudSlicer.Media.Tests.Captions;

public class TtmlFuzzTests
{
    private const string Seed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter" xmlns:tts="http://www.w3.org/ns/ttml#styling"
            ttp:frameRate="25" ttp:frameRateMultiplier="1000 1001" ttp:subFrameRate="2" ttp:tickRate="10000000">
          <head><styling><style xml:id="s" tts:fontStyle="italic"/></styling></head>
          <body begin="1s"><div timeContainer="seq">
            <p begin="00:00:01.500" end="00:00:03:12.1">One &amp; <span style="s" begin="5f">two</span><br/>three</p>
            <p dur="20000000t" xml:space="preserve">  four
        five </p>
            <p begin="0.5m" end="1h"><span begin="100ms" dur="2s">six<span>seven</span></span></p>
          </div></body>
        </tt>
        """;

    private static readonly string[] Fragments =
    [
        "<", ">", "/>", "</p>", "<span>", "</span>", "<br/>", "&amp;", "&", ";", "\"", "=", ":", ".", "s", "t", "f", "ms",
        "99999999999999999999", "00:00:00:99", "<!DOCTYPE tt>", "<![CDATA[x]]>", "xml:space=\"preserve\"", "timeContainer=\"seq\"",
        "begin=\"", "end=\"", "dur=\"", "\u00e9", "\uFFFF", "\0", "<?pi x?>", "<!-- c -->", "xmlns=\"\"", "encoding=\"UTF-16\"",
    ];

    [Fact]
    public void Thousands_of_mutated_documents_give_cues_or_a_caption_exception_and_nothing_else()
    {
        var random = new Random(20240607);
        var seed = Encoding.UTF8.GetBytes(Seed);
        Assert.NotEmpty(TtmlParser.Parse(seed));
        var (parsed, rejected) = (0, 0);

        for (var i = 0; i < 3000; i++)
        {
            var mutant = Mutate(seed, random);
            try
            {
                var cues = TtmlParser.Parse(mutant);
                Assert.All(cues, c => Assert.True(c.End > c.Start && c.Lines.Count > 0 && c.Lines.All(l => l.Length > 0 && !l.Contains('\n'))));
                parsed++;
            }
            catch (CaptionException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"mutant {i} threw {ex.GetType().Name}: {ex.Message}\n{Encoding.UTF8.GetString(mutant)}");
            }
        }

        // Both outcomes happen, so the fuzzing reaches the parser and not only the XML checks.
        Assert.True(parsed > 100 && rejected > 100, $"parsed {parsed}, rejected {rejected}");
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 12), bytes.Count - at));
                    break;
                case 2:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]));
                    break;
                case 3:
                    var from = random.Next(bytes.Count);
                    var length = Math.Min(random.Next(1, 60), bytes.Count - from);
                    bytes.InsertRange(at, bytes.GetRange(from, length));
                    break;
                default:
                    // A digit changed keeps the document well-formed and exercises the time parser.
                    var digit = bytes.FindIndex(at, b => b is >= (byte)'0' and <= (byte)'9');
                    if (digit >= 0)
                    {
                        bytes[digit] = (byte)('0' + random.Next(10));
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
