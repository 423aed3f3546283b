namespace CloudSlicer.Core.Jobs.Specs;

/// <summary>
/// <c>/jobs/quickclip</c>: the part <c>[OffsetMs, OffsetMs + DurationMs)</c> of asset <paramref name="Asset"/>
/// (<c>args.beam_id</c>, the caller's own) as a new asset; its poster at <paramref name="PosterMs"/> from the
/// asset's start (<c>args.poster_ts</c>), or the clip's own default when null.
/// </summary>
public sealed record QuickClipSpec(string Asset, long OffsetMs, long DurationMs, long? PosterMs);
