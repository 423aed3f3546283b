namespace CloudSlicer.Slicer.Handlers.Captions;

using CloudSlicer.Media.Captions;

/// <summary>Where a TTML document timed on its source's own timeline (<c>subtitle_absolute_time=1</c>) puts the asset's start.</summary>
public static class CaptionTimeline
{
    /// <summary>
    /// The whole hour at or before the first cue: broadcast masters start their timecode at an hour mark
    /// (<c>01:00:00:00</c>, <c>10:00:00:00</c>) and captions authored against them carry it, while the asset
    /// starts at the master's first frame. The asset record keeps no timecode of its source, so this is the
    /// one origin the job can know; a document whose first cue is within the first hour keeps its times.
    /// </summary>
    public static TimeSpan Origin(IReadOnlyList<Cue> cues)
    {
        ArgumentNullException.ThrowIfNull(cues);
        return cues.Count == 0 ? TimeSpan.Zero : TimeSpan.FromHours(Math.Floor(cues.Min(c => c.Start).TotalHours));
    }
}
