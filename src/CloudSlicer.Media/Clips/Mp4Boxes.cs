using System.Buffers.Binary;
using System.Text;

namespace CloudSlicer.Media.Clips;

/// <summary>A box of an ISO BMFF file: its type and where its body lies in the file's bytes.</summary>
internal readonly record struct Mp4Box(string Type, int Start, int BodyStart, int End)
{
    /// <summary>The boxes laid one after another in <paramref name="data"/>[<paramref name="from"/>..<paramref name="to"/>).</summary>
    public static IEnumerable<Mp4Box> Children(byte[] data, int from, int to)
    {
        var at = from;
        while (at + 8 <= to)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            var header = 8;
            if (size == 1)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(at + 8));
                header = 16;
            }
            else if (size == 0)
            {
                size = to - at;
            }

            if (size < header || at + size > to)
            {
                throw new MediaException("A CMAF segment has a box that runs past its end; the file is damaged");
            }

            yield return new Mp4Box(Encoding.ASCII.GetString(data, at + 4, 4), at, at + header, (int)(at + size));
            at += (int)size;
        }
    }

    public IEnumerable<Mp4Box> Children(byte[] data) => Children(data, BodyStart, End);

    public Mp4Box? Child(byte[] data, string type) =>
        Children(data).Cast<Mp4Box?>().FirstOrDefault(b => b!.Value.Type == type);

    /// <summary>The first box of <paramref name="type"/> found by walking the container path, e.g. moov/trak/mdia/mdhd.</summary>
    public static Mp4Box? Find(byte[] data, params string[] path)
    {
        Mp4Box? current = null;
        foreach (var type in path)
        {
            var children = current is { } c ? c.Children(data) : Children(data, 0, data.Length);
            current = children.Cast<Mp4Box?>().FirstOrDefault(b => b!.Value.Type == type);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }
}
