using System.Globalization;
using System.Text;
using CloudSlicer.Core.Assets;
using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Media.Hls;

/// <summary>
/// Our own master playlist (ffmpeg's guesses CODECS before the encoder has run and names the audio
/// group "group_audio"). Served at <c>/{asset}.m3u8</c>, so URIs carry the <c>{asset}/</c> prefix.
/// The asset's own audio is the default of the <c>audio</c> group and alternate AAC tracks join it; E-AC-3
/// (<c>dolby</c>) tracks form an <c>audio-ec3</c> group with a second set of variants, since a variant names one
/// audio group; WebVTT tracks form the <c>subs</c> group.
/// </summary>
public static class HlsMaster
{
    private const string AudioGroup = "audio";
    private const string DolbyGroup = "audio-ec3";
    private const string SubtitlesGroup = "subs";
    private const string AudioCodecs = "mp4a.40.2"; // AAC-LC
    private const string DolbyCodecs = "ec-3";

    /// <param name="rays">The rays HlsLadder made, lowest first.</param>
    /// <param name="hasAudio">Whether HlsLadder made the audio rendition.</param>
    /// <param name="pathPrefix">Prepended to every URI, e.g. "{asset}/".</param>
    /// <param name="audioKbps">The audio rendition's bit rate, counted into every ray's bandwidth.</param>
    public static string Build(IReadOnlyList<Ray> rays, bool hasAudio, string pathPrefix, int audioKbps = MediaOptions.DefaultAudioKbps) =>
        Build(rays, hasAudio ? [OwnAudio(audioKbps)] : [], pathPrefix, audioKbps);

    /// <summary>The master of an asset as its record describes it: the rays, then every audio and subtitle rendition.</summary>
    public static string Build(AssetManifest asset, string pathPrefix, int audioKbps = MediaOptions.DefaultAudioKbps)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return Build(asset.Rays, asset.Renditions, pathPrefix, audioKbps);
    }

    /// <summary>The asset's own audio rendition as the create job makes it.</summary>
    public static Rendition OwnAudio(int audioKbps) =>
        new(Rendition.Audio, FfmpegCommands.AudioRendition, "en", $"{FfmpegCommands.AudioRendition}/index.m3u8", audioKbps, "English", "aac");

    private static string Build(IReadOnlyList<Ray> rays, IReadOnlyList<Rendition> renditions, string pathPrefix, int audioKbps)
    {
        if (rays.Count == 0)
        {
            throw new ArgumentException("a master playlist needs at least one ray", nameof(rays));
        }

        var aac = renditions.Where(r => r.Kind == Rendition.Audio && r.Codec != "eac3").ToList();
        var dolby = renditions.Where(r => r.Kind == Rendition.Audio && r.Codec == "eac3").ToList();
        var subtitles = renditions.Where(r => r.Kind == Rendition.Subtitles).ToList();
        var m3u8 = new StringBuilder()
            .Append("#EXTM3U\n")
            .Append("#EXT-X-VERSION:7\n")
            .Append("#EXT-X-INDEPENDENT-SEGMENTS\n");

        AppendMedia(m3u8, "AUDIO", AudioGroup, aac, pathPrefix);
        AppendMedia(m3u8, "AUDIO", DolbyGroup, dolby, pathPrefix);
        AppendMedia(m3u8, "SUBTITLES", SubtitlesGroup, subtitles, pathPrefix);

        var audio = aac.Count > 0 ? audioKbps : 0;
        AppendVariants(m3u8, rays, pathPrefix, audio, aac.Count > 0 ? (AudioGroup, AudioCodecs) : null, subtitles.Count > 0);
        if (dolby.Count > 0)
        {
            AppendVariants(m3u8, rays, pathPrefix, dolby.Max(d => d.Kbps), (DolbyGroup, DolbyCodecs), subtitles.Count > 0);
        }

        return m3u8.ToString();
    }

    private static void AppendMedia(StringBuilder m3u8, string type, string group, List<Rendition> renditions, string pathPrefix)
    {
        for (var i = 0; i < renditions.Count; i++)
        {
            var r = renditions[i];
            // The first of a group is its default: the asset's own audio, or the first caption track.
            var isDefault = i == 0 && type == "AUDIO";
            m3u8.Append("#EXT-X-MEDIA:TYPE=").Append(type).Append(",GROUP-ID=\"").Append(group)
                .Append("\",LANGUAGE=\"").Append(Quoted(r.Lang)).Append("\",NAME=\"").Append(Quoted(Label(r))).Append('"')
                .Append(isDefault ? ",DEFAULT=YES" : ",DEFAULT=NO").Append(",AUTOSELECT=YES");
            if (type == "AUDIO")
            {
                m3u8.Append(r.Codec == "eac3" ? ",CHANNELS=\"6\"" : ",CHANNELS=\"2\"");
            }

            m3u8.Append(",URI=\"").Append(pathPrefix).Append(r.Path).Append("\"\n");
        }
    }

    private static void AppendVariants(StringBuilder m3u8, IReadOnlyList<Ray> rays, string pathPrefix, int audioKbps, (string Group, string Codecs)? audio, bool subtitles)
    {
        foreach (var ray in rays)
        {
            var codecs = H264Level.Codecs(H264Level.For(ray)) + (audio is { } a ? "," + a.Codecs : "");
            m3u8.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={(ray.MaxKbps + audioKbps) * 1000L}")
                .Append(CultureInfo.InvariantCulture, $",AVERAGE-BANDWIDTH={(ray.VideoKbps + audioKbps) * 1000L}")
                .Append(CultureInfo.InvariantCulture, $",RESOLUTION={ray.Width}x{ray.Height}")
                .Append(CultureInfo.InvariantCulture, $",FRAME-RATE={ray.FrameRate:0.000}")
                .Append(",CODECS=\"").Append(codecs).Append('"');
            if (audio is { } group)
            {
                m3u8.Append(",AUDIO=\"").Append(group.Group).Append('"');
            }

            if (subtitles)
            {
                m3u8.Append(",SUBTITLES=\"").Append(SubtitlesGroup).Append('"');
            }

            m3u8.Append('\n').Append(pathPrefix).Append(ray.Name).Append("/index.m3u8\n");
        }
    }

    private static string Label(Rendition r) => r.Desc.Length > 0 ? r.Desc : r.Lang;

    // Attribute values are quoted strings: a quote or a line break would end the tag, so neither is written.
    private static string Quoted(string value) => value.Replace("\"", "'", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
