namespace CloudSlicer.Media.Clips;

/// <summary>
/// Which samples of one slice a clip keeps: <see cref="Count"/> of its <see cref="Total"/>, from the
/// <see cref="First"/>th in presentation order (the order a decoder outputs frames, which is what ffmpeg's
/// <c>trim=start_frame</c> counts).
/// </summary>
public sealed record SliceCut(int First, int Count, int Total)
{
    public bool IsWhole => Count == Total;

    public bool IsEmpty => Count == 0;

    /// <summary>
    /// The samples of <paramref name="fragment"/> inside the clip <c>[startMs, endMs)</c> of the asset's timeline.
    /// A video frame is in when it starts inside; an audio frame (<paramref name="byMidpoint"/>) when its middle
    /// is, so the audio is cut on the AAC frame boundary nearest each end and is never more than half a frame off.
    /// </summary>
    public static SliceCut Select(CmafFragment fragment, CmafInit init, long startMs, long endMs, bool byMidpoint)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        ArgumentNullException.ThrowIfNull(init);
        var pres = fragment.PresentationTimes();
        var order = Enumerable.Range(0, pres.Count).OrderBy(i => pres[i]).ToList();

        // Compared in thousandths of a media tick, twice over for midpoints, so nothing is rounded.
        var start = 2 * ((startMs * (long)init.Timescale) + (init.EditMediaTime * 1000));
        var end = 2 * ((endMs * (long)init.Timescale) + (init.EditMediaTime * 1000));
        bool Inside(int i)
        {
            var at = byMidpoint ? ((2 * pres[i]) + fragment.Samples[i].Duration) * 1000 : 2 * pres[i] * 1000;
            return at >= start && at < end;
        }

        var first = order.FindIndex(Inside);
        if (first < 0)
        {
            return new SliceCut(0, 0, pres.Count);
        }

        var count = order.Skip(first).TakeWhile(Inside).Count();
        return new SliceCut(first, count, pres.Count);
    }

    /// <summary>The kept samples of an audio slice as a segment of their own, on the source's timeline (no re-encode).</summary>
    public CmafFragment CopySamples(CmafFragment source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Samples.Any(s => s.CompositionOffset != 0))
        {
            throw new InvalidOperationException("only a track without reordering (audio) can be cut by copying samples");
        }

        return new CmafFragment
        {
            Sequence = source.Sequence,
            TrackId = source.TrackId,
            BaseDecodeTime = source.DecodeTime(First),
            Samples = source.Samples.Skip(First).Take(Count).ToList(),
            SegmentType = source.SegmentType,
        };
    }

    /// <summary>
    /// A re-encoded edge (<paramref name="encoded"/>, its own timeline from 0) moved onto the source's timeline: its
    /// first frame is presented exactly when the source's first kept frame was, so it joins the reused slices.
    /// </summary>
    public CmafFragment Place(CmafFragment source, CmafFragment encoded)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Samples.Count != Count)
        {
            throw new MediaException($"ffmpeg re-encoded {encoded.Samples.Count} frames of an edge slice where {Count} were asked for");
        }

        var sourcePres = source.PresentationTimes().Order().ToList();
        var firstKept = sourcePres[First];
        var encodedLead = encoded.PresentationTimes().Min() - (long)encoded.BaseDecodeTime;
        return new CmafFragment
        {
            Sequence = source.Sequence,
            TrackId = source.TrackId,
            BaseDecodeTime = checked((ulong)(firstKept - encodedLead)),
            Samples = encoded.Samples,
            SegmentType = source.SegmentType,
        };
    }
}
