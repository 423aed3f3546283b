using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Slicers;

/// <summary>What a slicer says about itself when it starts.</summary>
/// <param name="Id">The id it claims jobs under (a job's <c>slicer</c>), <c>{host}:{pid}:{i}</c>.</param>
/// <param name="Kinds">The job kinds it has a handler for (may be empty).</param>
/// <param name="BeatInterval">How often it will beat; its liveness is counted in these, so readers need no setting of their own.</param>
public sealed record SlicerRegistration(string Id, string Host, int Pid, IReadOnlyCollection<JobKind> Kinds, TimeSpan BeatInterval);
