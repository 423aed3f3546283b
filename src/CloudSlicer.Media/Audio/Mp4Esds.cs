using System.Buffers.Binary;
using System.Text;

namespace CloudSlicer.Media.Audio;

/// <summary>
/// Replaces the AudioSpecificConfig in an MP4's <c>esds</c> box. ffmpeg builds that config from the ADTS
/// headers it muxes, and ADTS cannot say "HE-AAC": the file then claims AAC-LC at half the rate, and ffmpeg's
/// own decoder, learning of SBR only from the frames, skips twice the priming. The Fraunhofer library's
/// explicit config (AOT 5) fixes that. The boxes above the esds grow with it, and when <c>moov</c> precedes
/// <c>mdat</c> (<c>+faststart</c>) every chunk offset moves by the same amount.
/// </summary>
internal static class Mp4Esds
{
    private const byte EsDescriptorTag = 3;
    private const byte DecoderConfigTag = 4;
    private const byte DecoderSpecificInfoTag = 5;
    private const int DecoderConfigFixedBytes = 13;   // objectTypeIndication, streamType, bufferSizeDB, max and average bit rate
    private const int AudioSampleEntryBytes = 28;     // the fields of an AudioSampleEntry before its child boxes

    private static readonly string[] AudioEntryPath = ["trak", "mdia", "minf", "stbl", "stsd"];

    /// <summary>Rewrites <paramref name="path"/> with <paramref name="config"/> in its first audio track's esds.</summary>
    /// <exception cref="MediaException">the file has no AAC sample entry with an esds.</exception>
    public static async Task ReplaceAudioConfigAsync(string path, byte[] config, CancellationToken cancellationToken)
    {
        var patched = ReplaceAudioConfig(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), config);
        var temporary = path + ".esds";
        await File.WriteAllBytesAsync(temporary, patched, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    public static byte[] ReplaceAudioConfig(byte[] file, ReadOnlySpan<byte> config)
    {
        ArgumentNullException.ThrowIfNull(file);
        var top = Boxes(file, 0, file.Length).ToList();
        var moov = top.FirstOrDefault(b => b.Type == "moov");
        var mdat = top.FirstOrDefault(b => b.Type == "mdat");
        if (moov.Type is null)
        {
            throw new MediaException("The muxed audio has no moov box");
        }

        // The chain from moov down to the esds, outermost first.
        var chain = new List<Box> { moov };
        Box? esds = null;
        foreach (var trak in Boxes(file, moov.Body, moov.End).Where(b => b.Type == "trak"))
        {
            var trail = new List<Box>();
            var box = trak;
            trail.Add(box);
            foreach (var name in AudioEntryPath.Skip(1))
            {
                box = Boxes(file, box.Body, box.End).FirstOrDefault(b => b.Type == name);
                if (box.Type is null)
                {
                    break;
                }

                trail.Add(box);
            }

            if (box.Type != "stsd")
            {
                continue;
            }

            // stsd: version and flags, an entry count, then the sample entries.
            var entry = Boxes(file, box.Body + 8, box.End).FirstOrDefault(b => b.Type == "mp4a");
            if (entry.Type is null)
            {
                continue;
            }

            var found = Boxes(file, entry.Body + AudioSampleEntryBytes, entry.End).FirstOrDefault(b => b.Type == "esds");
            if (found.Type is not null)
            {
                chain.AddRange(trail);
                chain.Add(entry);
                esds = found;
                break;
            }
        }

        if (esds is not { } old)
        {
            throw new MediaException("The muxed audio has no AAC sample entry to describe");
        }

        var replacement = RebuildEsds(file.AsSpan(old.Start, old.End - old.Start), config);
        var delta = replacement.Length - (old.End - old.Start);
        var output = new byte[file.Length + delta];
        file.AsSpan(0, old.Start).CopyTo(output);
        replacement.CopyTo(output.AsSpan(old.Start));
        file.AsSpan(old.End).CopyTo(output.AsSpan(old.Start + replacement.Length));
        foreach (var parent in chain)
        {
            if (parent.HeaderSize != 8)
            {
                throw new MediaException("The muxed audio has a 64-bit box size above its esds");
            }

            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(parent.Start), checked((uint)(parent.End - parent.Start + delta)));
        }

        if (delta != 0 && mdat.Type is not null && mdat.Start > moov.Start)
        {
            ShiftChunkOffsets(output, moov.Start, moov.End + delta, delta);
        }

        return output;
    }

    /// <summary>The esds with the same ES and decoder fields and <paramref name="config"/> as its DecoderSpecificInfo.</summary>
    private static byte[] RebuildEsds(ReadOnlySpan<byte> esds, ReadOnlySpan<byte> config)
    {
        var body = esds[12..];   // size, type, version and flags
        var (esTag, esLength, esHeader) = Descriptor(body);
        if (esTag != EsDescriptorTag)
        {
            throw new MediaException("The muxed audio's esds holds no ES descriptor");
        }

        var es = body.Slice(esHeader, esLength);
        var flags = es[2];
        var fixedLength = 3 + ((flags & 0x80) != 0 ? 2 : 0) + ((flags & 0x40) != 0 ? 1 + es[3] : 0) + ((flags & 0x20) != 0 ? 2 : 0);
        var (dcTag, dcLength, dcHeader) = Descriptor(es[fixedLength..]);
        if (dcTag != DecoderConfigTag)
        {
            throw new MediaException("The muxed audio's esds holds no decoder config");
        }

        var decoderConfig = es.Slice(fixedLength + dcHeader, dcLength);
        var afterDecoderConfig = es[(fixedLength + dcHeader + dcLength)..];

        // The decoder config's own children: the old DecoderSpecificInfo is dropped, anything else kept.
        var children = new List<byte>();
        var rest = decoderConfig[DecoderConfigFixedBytes..];
        while (rest.Length > 0)
        {
            var (tag, length, header) = Descriptor(rest);
            if (tag != DecoderSpecificInfoTag)
            {
                children.AddRange(rest[..(header + length)]);
            }

            rest = rest[(header + length)..];
        }

        var newDecoderConfig = Wrap(DecoderConfigTag, [.. decoderConfig[..DecoderConfigFixedBytes], .. Wrap(DecoderSpecificInfoTag, config), .. children]);
        var newEs = Wrap(EsDescriptorTag, [.. es[..fixedLength], .. newDecoderConfig, .. afterDecoderConfig]);
        var box = new byte[12 + newEs.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes("esds", box.AsSpan(4));
        newEs.CopyTo(box.AsSpan(12));   // version 0, no flags
        return box;
    }

    /// <summary>A descriptor with its length in the four-byte form ffmpeg writes.</summary>
    private static byte[] Wrap(byte tag, ReadOnlySpan<byte> content)
    {
        var length = content.Length;
        return [tag, (byte)(0x80 | ((length >> 21) & 0x7F)), (byte)(0x80 | ((length >> 14) & 0x7F)), (byte)(0x80 | ((length >> 7) & 0x7F)), (byte)(length & 0x7F), .. content];
    }

    private static (byte Tag, int Length, int HeaderSize) Descriptor(ReadOnlySpan<byte> data)
    {
        var length = 0;
        var i = 1;
        for (; i <= 4; i++)
        {
            var b = data[i];
            length = (length << 7) | (b & 0x7F);
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        if (i > 4 || 1 + i + length > data.Length)
        {
            throw new MediaException("The muxed audio's esds is malformed");
        }

        return (data[0], length, 1 + i);
    }

    private static void ShiftChunkOffsets(byte[] file, int from, int to, int delta)
    {
        foreach (var box in Boxes(file, from, to))
        {
            switch (box.Type)
            {
                case "moov" or "trak" or "mdia" or "minf" or "stbl":
                    ShiftChunkOffsets(file, box.Body, box.End, delta);
                    break;
                case "stco":
                    for (var (i, n) = (box.Body + 8, BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(box.Body + 4))); n > 0; n--, i += 4)
                    {
                        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(i), checked((uint)(BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(i)) + delta)));
                    }

                    break;
                case "co64":
                    for (var (i, n) = (box.Body + 8, BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(box.Body + 4))); n > 0; n--, i += 8)
                    {
                        BinaryPrimitives.WriteUInt64BigEndian(file.AsSpan(i), checked((ulong)((long)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(i)) + delta)));
                    }

                    break;
            }
        }
    }

    private static IEnumerable<Box> Boxes(byte[] file, int from, int to)
    {
        var at = from;
        while (at + 8 <= to)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            var header = 8;
            if (size == 1 && at + 16 <= to)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(at + 8));
                header = 16;
            }
            else if (size == 0)
            {
                size = to - at;
            }

            if (size < header || at + size > to)
            {
                yield break;
            }

            yield return new Box(Encoding.ASCII.GetString(file, at + 4, 4), at, header, (int)(at + size));
            at += (int)size;
        }
    }

    private readonly record struct Box(string Type, int Start, int HeaderSize, int End)
    {
        public int Body => Start + HeaderSize;
    }
}
