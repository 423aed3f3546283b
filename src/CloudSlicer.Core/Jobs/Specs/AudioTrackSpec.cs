namespace CloudSlicer.Core.Jobs.Specs;

/// <summary><c>/jobs/add_track_audio</c>: alternate audio tracks added to <paramref name="Asset"/>, in order.</summary>
public sealed record AudioTrackSpec(string Asset, IReadOnlyList<AudioTrackSource> Tracks)
{
    /// <summary>The hosted service's limit on alternate audio tracks per asset.</summary>
    public const int MaxTracks = 32;
}

/// <summary>One audio track: its media URL as sent, <c>desc</c> (the player's label), <c>lang</c>, and <c>dolby</c> (E-AC-3 too).</summary>
public sealed record AudioTrackSource(string Url, string Desc, string Lang, bool Dolby);
