namespace CloudSlicer.Core.Jobs.Specs;

/// <summary>
/// <c>/jobs/copy-from-library</c>: the caller's own copy of <paramref name="SourceAsset"/>, an asset in a library
/// shared with the caller (checked at the API and again by the slicer); <paramref name="Batch"/> when the copy is
/// one of a <c>/batch/copy-from-library</c>.
/// </summary>
public sealed record CopySpec(string SourceAsset, string? Batch = null);
