using CloudSlicer.Core.Assets;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>What the encode part of a create job made that the asset record lists.</summary>
/// <param name="Poster">The poster's file name under the asset.</param>
/// <param name="Thumbnails">Empty when <c>thumbnails</c> was not asked for.</param>
/// <param name="BreakOffsets">From <c>breaks</c>, in the asset's timeline.</param>
/// <param name="Duration">The asset's length after trim, breaks and max_slices.</param>
public sealed record EncodedMedia(string Poster, IReadOnlyList<ThumbnailSet> Thumbnails, IReadOnlyList<BreakOffset> BreakOffsets, TimeSpan Duration);
