using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Jobs;

/// <summary>Work still under way on an asset, for endpoints that must not change an asset while it is being made or changed.</summary>
public partial interface IJobQueue
{
    /// <summary>
    /// The oldest waiting or assigned job of <paramref name="owner"/> that works on <paramref name="asset"/>
    /// (its <c>asset</c> is that id) or, when <paramref name="externalId"/> is given, a create job that will give
    /// its asset that external id; null when there is none.
    /// </summary>
    Task<Job?> FindActiveWorkAsync(string owner, string? asset, string? externalId, CancellationToken cancellationToken);
}
