using System.Buffers.Binary;

namespace CloudSlicer.Media.Dash;

/// <summary>Reads the track timescale (moov/trak/mdia/mdhd) of a one-track init segment such as ffmpeg writes.</summary>
public static class Mp4Timescale
{
    private static readonly string[] Path = ["moov", "trak", "mdia", "mdhd"];

    /// <summary>The timescale, or null when the bytes hold no mdhd on that path.</summary>
    public static int? Read(ReadOnlySpan<byte> init)
    {
        var box = init;
        foreach (var name in Path)
        {
            if (Find(box, name) is not { } body)
            {
                return null;
            }

            box = init.Slice(body.Start, body.Length);
            init = box;
        }

        // mdhd: version(1) flags(3), then creation and modification times (4 bytes each in v0, 8 in v1), then timescale.
        var offset = box.Length > 0 && box[0] == 1 ? 20 : 12;
        return box.Length >= offset + 4 ? (int)BinaryPrimitives.ReadUInt32BigEndian(box[offset..]) : null;
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
