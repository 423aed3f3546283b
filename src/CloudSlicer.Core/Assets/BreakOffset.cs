namespace CloudSlicer.Core.Assets;

/// <summary>
/// One entry of an asset's <c>break_offsets</c>: where in the asset's timeline a break sits. An
/// <c>AD BREAK</c> marks content the <c>breaks</c> setting removed (its <see cref="Duration"/> is what was
/// cut); a <c>BOUNDARY</c> marks a labelled range that was kept.
/// </summary>
/// <param name="BreakType"><see cref="AdBreak"/> or <see cref="Boundary"/>, as the asset API spells it.</param>
/// <param name="Offset">Seconds from the asset's start, in the asset's (post-cut) timeline.</param>
/// <param name="Duration">Seconds: removed content for an ad break, the kept range for a boundary.</param>
/// <param name="Name">The label of a boundary; null for ad breaks.</param>
public sealed record BreakOffset(string BreakType, double Offset, double Duration, string? Name = null)
{
    public const string AdBreak = "AD BREAK";
    public const string Boundary = "BOUNDARY";
}
