using CloudSlicer.Core.Jobs;
using CloudSlicer.Slicer.Handlers.Captions;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Slicer.Handlers;

/// <summary><c>/jobs/add_track_vtt</c>: WebVTT subtitle renditions made from TTML, added after the asset's own.</summary>
public sealed class AddTrackVttHandler(CaptionTrackWork work, AssetPublisher publisher) : IJobHandler
{
    public JobKind Kind => JobKind.AddTrackVtt;

    public Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken) =>
        work.RunAsync(job, context, replace: false, cancellationToken);

    // A later version is never undone by deleting the asset; the publisher only removes a first version.
    public Task DiscardAsync(JobOutput output, CancellationToken cancellationToken) =>
        output.Asset is { } asset ? publisher.DiscardAsync(asset, cancellationToken) : Task.CompletedTask;
}
