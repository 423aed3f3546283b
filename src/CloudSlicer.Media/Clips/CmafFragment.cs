using System.Buffers.Binary;

namespace CloudSlicer.Media.Clips;

/// <summary>One sample of a fragment: its decode duration, composition offset, flags and bytes.</summary>
public readonly record struct CmafSample(uint Duration, int CompositionOffset, uint? Flags, ReadOnlyMemory<byte> Data);

/// <summary>
/// A CMAF media segment (one slice of one rendition: <c>styp</c>, <c>moof</c>, <c>mdat</c>) read into its samples, and
/// written back with a chosen base decode time (<c>tfdt</c>) and a subset of them. This is how a clip's edge slices
/// join the reused ones: audio keeps whole AAC frames of the source slice, and a re-encoded video edge takes the
/// source's timeline, so the slices either side of a join carry continuous timestamps.
/// </summary>
public sealed class CmafFragment
{
    private const uint DataOffsetPresent = 0x1;
    private const uint FirstSampleFlagsPresent = 0x4;
    private const uint DurationPresent = 0x100;
    private const uint SizePresent = 0x200;
    private const uint FlagsPresent = 0x400;
    private const uint CompositionPresent = 0x800;
    private const uint DefaultBaseIsMoof = 0x20000;

    public uint Sequence { get; init; }

    public uint TrackId { get; init; }

    /// <summary>The decode time of the first sample, in the track's timescale.</summary>
    public ulong BaseDecodeTime { get; init; }

    public IReadOnlyList<CmafSample> Samples { get; init; } = [];

    /// <summary>The segment's <c>styp</c>, written again in front of the rewritten fragment (null when it had none).</summary>
    public ReadOnlyMemory<byte>? SegmentType { get; init; }

    /// <summary>Decode time of sample <paramref name="index"/> (relative to nothing: the track's media timeline).</summary>
    public ulong DecodeTime(int index) => BaseDecodeTime + (ulong)Samples.Take(index).Sum(s => (long)s.Duration);

    /// <summary>Media-timeline presentation time of each sample (decode time plus composition offset), in decode order.</summary>
    public IReadOnlyList<long> PresentationTimes()
    {
        var times = new long[Samples.Count];
        var dts = (long)BaseDecodeTime;
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = dts + Samples[i].CompositionOffset;
            dts += Samples[i].Duration;
        }

        return times;
    }

    public long TotalDuration => Samples.Sum(s => (long)s.Duration);

    /// <summary>Reads every <c>moof</c>/<c>mdat</c> pair of a segment (or of a fragmented MP4 with its <c>moov</c> first).</summary>
    public static CmafFragment Parse(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var samples = new List<CmafSample>();
        ReadOnlyMemory<byte>? styp = null;
        uint sequence = 0, trackId = 0;
        ulong? baseTime = null;
        foreach (var box in Mp4Box.Children(data, 0, data.Length))
        {
            if (box.Type == "styp")
            {
                styp = data.AsMemory(box.Start, box.End - box.Start);
            }
            else if (box.Type == "moof")
            {
                var (seq, track, tfdt) = ReadMoof(data, box, samples);
                if (baseTime is null)
                {
                    (sequence, trackId, baseTime) = (seq, track, tfdt);
                }
            }
        }

        if (baseTime is null)
        {
            throw new MediaException("A CMAF segment has no movie fragment (moof); the rendition is damaged");
        }

        return new CmafFragment { Sequence = sequence, TrackId = trackId, BaseDecodeTime = baseTime.Value, Samples = samples, SegmentType = styp };
    }

    private static (uint Sequence, uint TrackId, ulong BaseTime) ReadMoof(byte[] data, Mp4Box moof, List<CmafSample> samples)
    {
        uint sequence = 0;
        if (moof.Child(data, "mfhd") is { } mfhd)
        {
            sequence = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(mfhd.BodyStart + 4));
        }

        var traf = moof.Child(data, "traf") ?? throw new MediaException("A movie fragment has no track fragment (traf)");
        var tfhd = traf.Child(data, "tfhd") ?? throw new MediaException("A track fragment has no header (tfhd)");
        var h = data.AsSpan(tfhd.BodyStart, tfhd.End - tfhd.BodyStart);
        var tfFlags = ((uint)h[1] << 16) | ((uint)h[2] << 8) | h[3];
        var trackId = BinaryPrimitives.ReadUInt32BigEndian(h[4..]);
        var at = 8;
        long baseOffset = moof.Start;
        if ((tfFlags & 0x1) != 0)
        {
            baseOffset = (long)BinaryPrimitives.ReadUInt64BigEndian(h[at..]);
            at += 8;
        }

        at += (tfFlags & 0x2) != 0 ? 4 : 0;
        uint defaultDuration = 0, defaultSize = 0;
        uint? defaultFlags = null;
        if ((tfFlags & 0x8) != 0)
        {
            defaultDuration = BinaryPrimitives.ReadUInt32BigEndian(h[at..]);
            at += 4;
        }

        if ((tfFlags & 0x10) != 0)
        {
            defaultSize = BinaryPrimitives.ReadUInt32BigEndian(h[at..]);
            at += 4;
        }

        if ((tfFlags & 0x20) != 0)
        {
            defaultFlags = BinaryPrimitives.ReadUInt32BigEndian(h[at..]);
        }

        ulong baseTime = 0;
        if (traf.Child(data, "tfdt") is { } tfdt)
        {
            var t = data.AsSpan(tfdt.BodyStart);
            baseTime = t[0] == 1 ? BinaryPrimitives.ReadUInt64BigEndian(t[4..]) : BinaryPrimitives.ReadUInt32BigEndian(t[4..]);
        }

        var next = baseOffset;
        foreach (var trun in traf.Children(data).Where(b => b.Type == "trun"))
        {
            var r = data.AsSpan(trun.BodyStart, trun.End - trun.BodyStart);
            var version = r[0];
            var flags = ((uint)r[1] << 16) | ((uint)r[2] << 8) | r[3];
            var count = BinaryPrimitives.ReadUInt32BigEndian(r[4..]);
            var p = 8;
            var dataAt = next;
            if ((flags & DataOffsetPresent) != 0)
            {
                dataAt = baseOffset + BinaryPrimitives.ReadInt32BigEndian(r[p..]);
                p += 4;
            }

            uint? firstFlags = null;
            if ((flags & FirstSampleFlagsPresent) != 0)
            {
                firstFlags = BinaryPrimitives.ReadUInt32BigEndian(r[p..]);
                p += 4;
            }

            for (var i = 0; i < count; i++)
            {
                var duration = defaultDuration;
                var size = defaultSize;
                var sampleFlags = i == 0 && firstFlags is not null ? firstFlags : defaultFlags;
                var cto = 0;
                if ((flags & DurationPresent) != 0)
                {
                    duration = BinaryPrimitives.ReadUInt32BigEndian(r[p..]);
                    p += 4;
                }

                if ((flags & SizePresent) != 0)
                {
                    size = BinaryPrimitives.ReadUInt32BigEndian(r[p..]);
                    p += 4;
                }

                if ((flags & FlagsPresent) != 0)
                {
                    sampleFlags = BinaryPrimitives.ReadUInt32BigEndian(r[p..]);
                    p += 4;
                }

                if ((flags & CompositionPresent) != 0)
                {
                    cto = version == 0 ? (int)BinaryPrimitives.ReadUInt32BigEndian(r[p..]) : BinaryPrimitives.ReadInt32BigEndian(r[p..]);
                    p += 4;
                }

                if (dataAt + size > data.Length)
                {
                    throw new MediaException("A CMAF segment's samples run past its end; the file is damaged");
                }

                samples.Add(new CmafSample(duration, cto, sampleFlags, data.AsMemory((int)dataAt, (int)size)));
                dataAt += size;
            }

            next = dataAt;
        }

        return (sequence, trackId, baseTime);
    }

    /// <summary>
    /// The segment as bytes: <c>styp</c> (when the source had one), one <c>moof</c> whose <c>tfdt</c> is
    /// <see cref="BaseDecodeTime"/> and whose <c>trun</c> lists every sample, and the <c>mdat</c>.
    /// </summary>
    public byte[] ToBytes()
    {
        var flagsKnown = Samples.All(s => s.Flags is not null);
        var signed = Samples.Any(s => s.CompositionOffset < 0);
        var trunFlags = DataOffsetPresent | DurationPresent | SizePresent | CompositionPresent | (flagsKnown ? FlagsPresent : 0);
        var perSample = flagsKnown ? 16 : 12;
        var trunSize = 8 + 4 + 4 + 4 + (perSample * Samples.Count);
        const int MfhdSize = 16, TfhdSize = 16, TfdtSize = 20;
        var trafSize = 8 + TfhdSize + TfdtSize + trunSize;
        var moofSize = 8 + MfhdSize + trafSize;
        var dataSize = Samples.Sum(s => (long)s.Data.Length);

        using var output = new MemoryStream();
        if (SegmentType is { } styp)
        {
            output.Write(styp.Span);
        }

        var w = new BigEndianWriter(output);
        w.Box(moofSize, "moof");
        w.Box(MfhdSize, "mfhd").U32(0).U32(Sequence);
        w.Box(trafSize, "traf");
        w.Box(TfhdSize, "tfhd").U32(DefaultBaseIsMoof).U32(TrackId);
        w.Box(TfdtSize, "tfdt").U32(1u << 24).U64(BaseDecodeTime);
        w.Box(trunSize, "trun").U32(((signed ? 1u : 0u) << 24) | trunFlags).U32((uint)Samples.Count).U32((uint)(moofSize + 8));
        foreach (var s in Samples)
        {
            w.U32(s.Duration).U32((uint)s.Data.Length);
            if (flagsKnown)
            {
                w.U32(s.Flags!.Value);
            }

            w.U32(unchecked((uint)s.CompositionOffset));
        }

        w.Box((int)(8 + dataSize), "mdat");
        foreach (var s in Samples)
        {
            output.Write(s.Data.Span);
        }

        return output.ToArray();
    }

    private sealed class BigEndianWriter(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8];

        public BigEndianWriter Box(int size, string type) => U32((uint)size).Type(type);

        public BigEndianWriter U32(uint value)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer, value);
            stream.Write(_buffer, 0, 4);
            return this;
        }

        public BigEndianWriter U64(ulong value)
        {
            BinaryPrimitives.WriteUInt64BigEndian(_buffer, value);
            stream.Write(_buffer, 0, 8);
            return this;
        }

        private BigEndianWriter Type(string type)
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(type));
            return this;
        }
    }
}
