using System.Buffers.Binary;

namespace CloudSlicer.Media.Clips;

/// <summary>
/// What a clip needs from a rendition's <c>init.mp4</c>: the track's timescale, the edit list's media time (the
/// B-frame delay of video, the AAC priming of audio, both skipped by players), and the video's decoder
/// configuration (<c>avcC</c>), which a re-encoded edge slice must share since it plays with the same init.
/// </summary>
public sealed record CmafInit(uint Timescale, long EditMediaTime, byte[]? DecoderConfig)
{
    public static CmafInit Parse(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var mdhd = Mp4Box.Find(data, "moov", "trak", "mdia", "mdhd")
            ?? throw new MediaException("An init segment has no track header (mdhd); the rendition is damaged");
        var body = data.AsSpan(mdhd.BodyStart);
        var timescale = BinaryPrimitives.ReadUInt32BigEndian(body[(body[0] == 1 ? 20 : 12)..]);

        long editMediaTime = 0;
        if (Mp4Box.Find(data, "moov", "trak", "edts", "elst") is { } elst)
        {
            var e = data.AsSpan(elst.BodyStart);
            var count = BinaryPrimitives.ReadUInt32BigEndian(e[4..]);
            for (var i = 0; i < count; i++)
            {
                // The first edit that is not an empty one (media time -1) says where the media starts.
                var mediaTime = e[0] == 1
                    ? BinaryPrimitives.ReadInt64BigEndian(e[(8 + (i * 20) + 8)..])
                    : BinaryPrimitives.ReadInt32BigEndian(e[(8 + (i * 12) + 4)..]);
                if (mediaTime >= 0)
                {
                    editMediaTime = mediaTime;
                    break;
                }
            }
        }

        return new CmafInit(timescale, editMediaTime, FindAvcC(data));
    }

    private static byte[]? FindAvcC(byte[] data)
    {
        // avcC sits inside the avc1 sample entry, after its 78 fixed bytes: find it by its type rather than walk.
        var span = data.AsSpan();
        var at = span.IndexOf("avcC"u8);
        if (at < 4)
        {
            return null;
        }

        var size = (int)BinaryPrimitives.ReadUInt32BigEndian(span[(at - 4)..]);
        return at - 4 + size <= data.Length ? span.Slice(at - 4, size).ToArray() : null;
    }
}
