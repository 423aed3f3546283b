namespace CloudSlicer.Core.Jobs.Specs;

/// <summary>
/// <c>/jobs/add_track_vtt</c> and <c>/jobs/replace_track_vtt</c>: subtitle tracks made from TTML and added to
/// <paramref name="Asset"/> (or, with <see cref="VttTrackSource.TrackNum"/>, put in place of that track).
/// </summary>
public sealed record VttTrackSpec(string Asset, IReadOnlyList<VttTrackSource> Tracks)
{
    /// <summary>The hosted service's limit on subtitle tracks per asset.</summary>
    public const int MaxTracks = 63;
}

/// <summary>
/// One caption track: TTML from <paramref name="TtmlUrl"/> or given inline (<paramref name="TtmlData"/>, already
/// base64-decoded and checked to be text); <c>lang</c>, <c>desc</c>; the cue settings <c>default_position</c> and
/// <c>default_vertical</c>; <c>subtitle_absolute_time</c>; and for a replace, the track number it replaces.
/// </summary>
public sealed record VttTrackSource(
    string? TtmlUrl,
    string? TtmlData,
    string Lang,
    string Desc,
    string? DefaultPosition,
    string? DefaultVertical,
    bool SubtitleAbsoluteTime,
    int? TrackNum);
