using System.Globalization;
using System.Text;
using CloudSlicer.Core.Assets;
using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Media.Hls;

/// <summary>
/// Our own master playlist (ffmpeg's guesses CODECS before the encoder has run and names the audio
/// group "group_audio"). Served at <c>/{asset}.m3u8</c>, so URIs carry the <c>{asset}/</c> prefix.
/// </summary>
public static class HlsMaster
{
    private const string AudioGroup = "audio";
    private const string AudioCodecs = "mp4a.40.2"; // AAC-LC

    /// <param name="rays">The rays HlsLadder made, lowest first.</param>
    /// <param name="hasAudio">Whether HlsLadder made the audio rendition.</param>
    /// <param name="pathPrefix">Prepended to every URI, e.g. "{asset}/".</param>
    /// <param name="audioKbps">The audio rendition's bit rate, counted into every ray's bandwidth.</param>
    public static string Build(IReadOnlyList<Ray> rays, bool hasAudio, string pathPrefix, int audioKbps = MediaOptions.DefaultAudioKbps)
    {
        if (rays.Count == 0)
        {
            throw new ArgumentException("a master playlist needs at least one ray", nameof(rays));
        }

        var audio = hasAudio ? audioKbps : 0;
        var m3u8 = new StringBuilder()
            .Append("#EXTM3U\n")
            .Append("#EXT-X-VERSION:7\n")
            .Append("#EXT-X-INDEPENDENT-SEGMENTS\n");

        if (hasAudio)
        {
            m3u8.Append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").Append(AudioGroup)
                .Append("\",LANGUAGE=\"en\",NAME=\"English\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"")
                .Append(pathPrefix).Append(FfmpegCommands.AudioRendition).Append("/index.m3u8\"\n");
        }

        foreach (var ray in rays)
        {
            var codecs = H264Level.Codecs(H264Level.For(ray)) + (hasAudio ? "," + AudioCodecs : "");
            m3u8.Append(CultureInfo.InvariantCulture, $"#EXT-X-STREAM-INF:BANDWIDTH={(ray.MaxKbps + audio) * 1000L}")
                .Append(CultureInfo.InvariantCulture, $",AVERAGE-BANDWIDTH={(ray.VideoKbps + audio) * 1000L}")
                .Append(CultureInfo.InvariantCulture, $",RESOLUTION={ray.Width}x{ray.Height}")
                .Append(CultureInfo.InvariantCulture, $",FRAME-RATE={ray.FrameRate:0.000}")
                .Append(",CODECS=\"").Append(codecs).Append('"');
            if (hasAudio)
            {
                m3u8.Append(",AUDIO=\"").Append(AudioGroup).Append('"');
            }

            m3u8.Append('\n').Append(pathPrefix).Append(ray.Name).Append("/index.m3u8\n");
        }

        return m3u8.ToString();
    }
}
