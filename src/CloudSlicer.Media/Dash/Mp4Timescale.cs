using System.Buffers.Binary;

namespace CloudSlicer.Media.Dash;

/// <summary>
/// Reads the track timescale (moov/trak/mdia/mdhd) of a one-track init segment such as ffmpeg writes, and the decode
/// time a media segment starts at (moof/traf/tfdt), in that timescale.
/// </summary>
public static class Mp4Timescale
{
    private static readonly string[] TimescalePath = ["moov", "trak", "mdia", "mdhd"];
    private static readonly string[] DecodeTimePath = ["moof", "traf", "tfdt"];

    /// <summary>The timescale, or null when the bytes hold no mdhd on that path.</summary>
    public static int? Read(ReadOnlySpan<byte> init)
    {
        if (Body(init, TimescalePath) is not { } box)
        {
            return null;
        }

        // mdhd: version(1) flags(3), then creation and modification times (4 bytes each in v0, 8 in v1), then timescale.
        var mdhd = init.Slice(box.Start, box.Length);
        var offset = mdhd.Length > 0 && mdhd[0] == 1 ? 20 : 12;
        return mdhd.Length >= offset + 4 ? (int)BinaryPrimitives.ReadUInt32BigEndian(mdhd[offset..]) : null;
    }

    /// <summary>The first fragment's base media decode time, or null when the bytes hold no tfdt on that path.</summary>
    public static long? ReadDecodeTime(ReadOnlySpan<byte> segment)
    {
        if (Body(segment, DecodeTimePath) is not { } box)
        {
            return null;
        }

        // tfdt: version(1) flags(3), then the time: 8 bytes in v1, 4 in v0.
        var tfdt = segment.Slice(box.Start, box.Length);
        return tfdt.Length >= 12 && tfdt[0] == 1 ? (long)BinaryPrimitives.ReadUInt64BigEndian(tfdt[4..]) & long.MaxValue
            : tfdt.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(tfdt[4..]) : null;
    }

    /// <summary>Where (from the start of <paramref name="data"/>) the body of the box at the end of <paramref name="path"/> is.</summary>
    private static (int Start, int Length)? Body(ReadOnlySpan<byte> data, string[] path)
    {
        var (start, length) = (0, data.Length);
        foreach (var name in path)
        {
            if (Find(data.Slice(start, length), name) is not { } body)
            {
                return null;
            }

            (start, length) = (start + body.Start, body.Length);
        }

        return (start, length);
    }

    /// <summary>The body (after the header) of the first child box called <paramref name="name"/>.</summary>
    private static (int Start, int Length)? Find(ReadOnlySpan<byte> boxes, string name)
    {
        var offset = 0;
        while (offset + 8 <= boxes.Length)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(boxes[offset..]);
            var header = 8;
            if (size == 1 && offset + 16 <= boxes.Length)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(boxes[(offset + 8)..]);
                header = 16;
            }
            else if (size == 0)
            {
                size = boxes.Length - offset;
            }

            if (size < header || offset + size > boxes.Length)
            {
                return null;
            }

            var type = boxes.Slice(offset + 4, 4);
            if (type.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(name)))
            {
                return (offset + header, (int)size - header);
            }

            offset += (int)size;
        }

        return null;
    }
}
