namespace CloudSlicer.Media.Captions;

/// <summary>Cues cut to a stretch of the timeline and moved, for quick clips and for <c>subtitle_absolute_time</c>.</summary>
public static class CueClip
{
    /// <summary>
    /// The cues showing in [<paramref name="start"/>, <paramref name="end"/>), cut to it and shifted so that
    /// <paramref name="start"/> becomes zero: a cue that began before the clip shows from the clip's first moment.
    /// </summary>
    public static IReadOnlyList<Cue> Clip(IEnumerable<Cue> cues, TimeSpan start, TimeSpan end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(start, TimeSpan.Zero);
        var clipped = new List<Cue>();
        foreach (var cue in cues)
        {
            var from = cue.Start > start ? cue.Start : start;
            var to = cue.End < end ? cue.End : end;
            if (to > from)
            {
                clipped.Add(cue with { Start = from - start, End = to - start });
            }
        }

        return clipped;
    }

    /// <summary>
    /// Every cue moved <paramref name="earlier"/> back in time: what ended before zero is dropped, what
    /// straddles zero starts at zero. An indefinite end stays indefinite.
    /// </summary>
    public static IReadOnlyList<Cue> ShiftEarlier(IEnumerable<Cue> cues, TimeSpan earlier)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(earlier, TimeSpan.Zero);
        var shifted = new List<Cue>();
        foreach (var cue in cues)
        {
            var start = cue.Start > earlier ? cue.Start - earlier : TimeSpan.Zero;
            var end = cue.End == Cue.Indefinite ? Cue.Indefinite : cue.End - earlier;
            if (end > start)
            {
                shifted.Add(cue with { Start = start, End = end });
            }
        }

        return shifted;
    }
}
