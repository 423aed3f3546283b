using CloudSlicer.Core.Jobs;
using CloudSlicer.Slicer.Handlers.Captions;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Slicer.Handlers;

/// <summary><c>/jobs/replace_track_vtt</c>: a subtitle rendition made anew from TTML, in the place of the one it replaces.</summary>
public sealed class ReplaceTrackVttHandler(CaptionTrackWork work, AssetPublisher publisher) : IJobHandler
{
    public JobKind Kind => JobKind.ReplaceTrackVtt;

    public Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken) =>
        work.RunAsync(job, context, replace: true, cancellationToken);

    // A later version is never undone by deleting the asset; the publisher only removes a first version.
    public Task DiscardAsync(JobOutput output, CancellationToken cancellationToken) =>
        output.Asset is { } asset ? publisher.DiscardAsync(asset, cancellationToken) : Task.CompletedTask;
}
