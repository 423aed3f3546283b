using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Slicers;

/// <summary>A registered slicer as the store holds it; times are Unix milliseconds by the store's clock.</summary>
/// <param name="Job">The job it was working on at its last beat; null when idle.</param>
public sealed record SlicerRecord(
    string Id, string Host, int Pid, IReadOnlyList<JobKind> Kinds, TimeSpan BeatInterval, long Started, long LastSeen, string? Job);
