using System.Globalization;
using System.Text;
using System.Xml;
using CloudSlicer.Media.Hls;

namespace CloudSlicer.Media.Dash;

/// <summary>
/// A static DASH MPD over the asset's CMAF slices, the very files the HLS playlists list: the ISO BMFF live
/// profile, one SegmentTemplate per representation (<c>$RepresentationID$/seg_$Number%05d$.m4s</c>, numbered from
/// the first slice's number: 0 as the HLS muxer names them, more in a clip, which keeps its source's names) with a
/// SegmentTimeline of the slices' exact durations from the first slice's decode time. Served at
/// <c>/{asset}.mpd</c>, so the BaseURL is <c>{asset}/</c>.
/// </summary>
/// <remarks>
/// A clip keeps its source's timeline: its first slice starts at the offset, not 0. Every SegmentTemplate then says
/// so with a <c>presentationTimeOffset</c> of the first ray's start, the same instant for every rendition (each in its
/// own timescale), so a player maps that instant to the period's start and audio and video stay as in sync as the
/// slices are.
/// </remarks>
public static class DashManifest
{
    private const string Namespace = "urn:mpeg:dash:schema:mpd:2011";
    private const string LiveProfile = "urn:mpeg:dash:profile:isoff-live:2011";
    private const string ChannelScheme = "urn:mpeg:dash:23003:3:audio_channel_configuration:2011";

    /// <param name="rays">The video rays, lowest first.</param>
    /// <param name="audio">The audio renditions, the asset's own first (the main one); empty when the asset has none.</param>
    /// <param name="baseUrl">Where the renditions' directories are, relative to the MPD ("{asset}/").</param>
    public static string Build(IReadOnlyList<DashRendition> rays, IReadOnlyList<DashRendition> audio, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(rays);
        ArgumentNullException.ThrowIfNull(audio);
        if (rays.Count == 0)
        {
            throw new ArgumentException("an MPD needs at least one ray", nameof(rays));
        }

        var duration = rays.Concat(audio).Max(r => r.Duration);
        var start = rays[0].StartTime / (decimal)rays[0].Timescale;
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", Encoding = new UTF8Encoding(false) };
        using (var xml = XmlWriter.Create(new StringWriterUtf8(text), settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("MPD", Namespace);
            xml.WriteAttributeString("profiles", LiveProfile);
            xml.WriteAttributeString("type", "static");
            xml.WriteAttributeString("mediaPresentationDuration", IsoDuration(duration));
            xml.WriteAttributeString("minBufferTime", IsoDuration(Slices.SliceDuration));
            xml.WriteElementString("BaseURL", Namespace, baseUrl);
            xml.WriteStartElement("Period", Namespace);
            xml.WriteAttributeString("id", "0");
            xml.WriteAttributeString("start", "PT0S");

            WriteVideo(xml, rays, start);
            for (var i = 0; i < audio.Count; i++)
            {
                WriteAudio(xml, audio[i], id: i + 1, main: i == 0, start);
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return text.Append('\n').ToString();
    }

    private static void WriteVideo(XmlWriter xml, IReadOnlyList<DashRendition> rays, decimal start)
    {
        xml.WriteStartElement("AdaptationSet", Namespace);
        xml.WriteAttributeString("id", "0");
        xml.WriteAttributeString("contentType", "video");
        xml.WriteAttributeString("mimeType", "video/mp4");
        // Every ray has a key frame at every slice boundary, at the same times (FfmpegCommands.HlsLadder).
        xml.WriteAttributeString("segmentAlignment", "true");
        xml.WriteAttributeString("startWithSAP", "1");
        xml.WriteAttributeString("maxWidth", Int(rays.Max(r => r.Width)));
        xml.WriteAttributeString("maxHeight", Int(rays.Max(r => r.Height)));
        foreach (var ray in rays)
        {
            xml.WriteStartElement("Representation", Namespace);
            xml.WriteAttributeString("id", ray.Id);
            xml.WriteAttributeString("codecs", ray.Codecs);
            xml.WriteAttributeString("bandwidth", Int(ray.Bandwidth));
            xml.WriteAttributeString("width", Int(ray.Width));
            xml.WriteAttributeString("height", Int(ray.Height));
            if (ray.FrameRate is { } rate)
            {
                xml.WriteAttributeString("frameRate", FrameRate(rate));
            }

            xml.WriteAttributeString("sar", "1:1");
            WriteSegments(xml, ray, start);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    /// <summary>One AdaptationSet per audio rendition: a player lists them by language and label, and switches between them.</summary>
    private static void WriteAudio(XmlWriter xml, DashRendition audio, int id, bool main, decimal start)
    {
        xml.WriteStartElement("AdaptationSet", Namespace);
        xml.WriteAttributeString("id", Int(id));
        xml.WriteAttributeString("contentType", "audio");
        xml.WriteAttributeString("mimeType", "audio/mp4");
        xml.WriteAttributeString("lang", audio.Lang);
        xml.WriteAttributeString("segmentAlignment", "true");
        xml.WriteAttributeString("startWithSAP", "1");
        xml.WriteStartElement("Role", Namespace);
        xml.WriteAttributeString("schemeIdUri", "urn:mpeg:dash:role:2011");
        xml.WriteAttributeString("value", main ? "main" : "alternate");
        xml.WriteEndElement();
        if (audio.Label is { } label)
        {
            xml.WriteElementString("Label", Namespace, label);
        }

        xml.WriteStartElement("Representation", Namespace);
        xml.WriteAttributeString("id", audio.Id);
        xml.WriteAttributeString("codecs", audio.Codecs);
        xml.WriteAttributeString("bandwidth", Int(audio.Bandwidth));
        // An AAC or E-AC-3 track's timescale is its sample rate.
        xml.WriteAttributeString("audioSamplingRate", Int(audio.Timescale));
        xml.WriteStartElement("AudioChannelConfiguration", Namespace);
        xml.WriteAttributeString("schemeIdUri", ChannelScheme);
        xml.WriteAttributeString("value", Int(audio.Channels));
        xml.WriteEndElement();
        WriteSegments(xml, audio, start);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>
    /// Runs of equal durations collapse into one S element with a repeat count. <paramref name="start"/> (seconds, the
    /// first ray's first decode time) becomes the presentation time offset, so the period starts where the media does.
    /// </summary>
    private static void WriteSegments(XmlWriter xml, DashRendition rendition, decimal start)
    {
        xml.WriteStartElement("SegmentTemplate", Namespace);
        xml.WriteAttributeString("timescale", Int(rendition.Timescale));
        var offset = (long)Math.Round(start * rendition.Timescale, MidpointRounding.AwayFromZero);
        if (offset > 0)
        {
            xml.WriteAttributeString("presentationTimeOffset", Int(offset));
        }

        xml.WriteAttributeString("initialization", "$RepresentationID$/" + HlsOutput.InitName);
        xml.WriteAttributeString("media", "$RepresentationID$/" + HlsOutput.SegmentPattern.Replace("%05d", "$Number%05d$", StringComparison.Ordinal));
        xml.WriteAttributeString("startNumber", Int(rendition.StartNumber));
        xml.WriteStartElement("SegmentTimeline", Namespace);
        var durations = rendition.SegmentDurations;
        for (var i = 0; i < durations.Count;)
        {
            var run = 1;
            while (i + run < durations.Count && durations[i + run] == durations[i])
            {
                run++;
            }

            xml.WriteStartElement("S", Namespace);
            if (i == 0)
            {
                xml.WriteAttributeString("t", Int(rendition.StartTime));
            }

            xml.WriteAttributeString("d", Int(durations[i]));
            if (run > 1)
            {
                xml.WriteAttributeString("r", Int(run - 1));
            }

            xml.WriteEndElement();
            i += run;
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>"30.000" -> "30", "29.970" -> "30000/1001": DASH takes a whole number or a ratio.</summary>
    private static string FrameRate(string hlsRate)
    {
        var fps = double.Parse(hlsRate, CultureInfo.InvariantCulture);
        var rate = Ffmpeg.FfmpegArgs.Rate(fps);
        return rate.Contains('.', StringComparison.Ordinal) ? Int((long)Math.Round(fps * 1000)) + "/1000" : rate;
    }

    /// <summary>xs:duration in seconds with millisecond precision: "PT9.067S".</summary>
    private static string IsoDuration(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"PT{Math.Round(t.TotalSeconds, 3):0.###}S");

    private static string Int(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>XmlWriter declares the encoding of its TextWriter: UTF-8, not StringWriter's UTF-16.</summary>
    private sealed class StringWriterUtf8(StringBuilder text) : StringWriter(text, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding { get; } = new UTF8Encoding(false);
    }
}
