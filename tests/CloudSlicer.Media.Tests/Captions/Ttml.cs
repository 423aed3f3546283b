using System.Text;
using CloudSlicer.Media.Captions;

namespace CloudSlicer.Media.Tests.Captions;

/// <summary>Small TTML documents for the tests.</summary>
internal static class Ttml
{
    public static byte[] Bytes(string xml) => Encoding.UTF8.GetBytes(xml);

    /// <summary>A TTML document whose body is <paramref name="body"/>, with extra attributes on &lt;tt&gt;.</summary>
    public static string Doc(string body, string ttAttributes = "", string ns = "http://www.w3.org/ns/ttml") =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <tt xmlns="{ns}" xmlns:ttp="{ns}#parameter" xmlns:tts="{ns}#styling" {ttAttributes}>
          <head><styling><style xml:id="s1" tts:fontStyle="italic"/></styling></head>
          <body>{body}</body>
        </tt>
        """;

    public static IReadOnlyList<Cue> Parse(string xml) => TtmlParser.Parse(Bytes(xml));

    public static Cue Single(string xml) => Assert.Single(Parse(xml));

    public static TimeSpan Ms(double ms) => TimeSpan.FromTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond));
}
