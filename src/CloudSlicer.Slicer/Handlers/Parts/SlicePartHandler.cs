using CloudSlicer.Core.Jobs;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Slicer.Handlers.Parts;

/// <summary>
/// A part of a long create job (docs/parts.md): reads the shared copy of the source, encodes the part's window
/// with the whole encode's ladder and settings, its slices numbered and timed where they sit in the asset, and
/// stores them straight into the asset's first version, its playlists beside the shared source for the parent's
/// join. Any slicer may run it; the parent's slicer runs its own job's parts too.
/// </summary>
public sealed class SlicePartHandler(IBlobStore blobs, FfmpegRunner ffmpeg) : IJobHandler
{
    public JobKind Kind => JobKind.SlicePart;

    public async Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken)
    {
        var spec = PartSpec.Read(job.SecretsJson);
        var source = context.Work.File("source");
        context.Progress.Phase("Reading the source", 0);
        await using (var read = await blobs.OpenReadAsync(PartLayout.Source(spec.Asset), null, cancellationToken).ConfigureAwait(false)
            ?? throw new JobFailedException("The shared copy of the source is gone (its create job's attempt ended); the part is not needed any more"))
        await using (var file = File.Create(source))
        {
            await read.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        var output = context.Work.Directory("out");
        var duration = TimeSpan.FromSeconds(spec.DurationSeconds);
        var ladder = FfmpegCommands.HlsLadder(new HlsLadderRequest(source, output, spec.Rays, HasAudio: false)
        {
            TrimStart = TimeSpan.FromSeconds(spec.SourceStartSeconds),
            TrimDuration = duration,
            Preset = spec.Preset,
            DisplayAspect = spec.DisplayAspect,
            Part = new LadderPart(spec.FirstSlice, spec.EndSlice),
        });
        context.Progress.Report("Slicing", 0, 5, 95);
        await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
        await ffmpeg.RunAsync(ladder, duration, context.Progress.For("Slicing", 5, 95), cancellationToken).ConfigureAwait(false);

        context.Progress.Phase("Storing", 95);
        foreach (var ray in spec.Rays)
        {
            var dir = Path.Combine(output, ray.Name);
            var playlist = Path.Combine(dir, HlsOutput.PlaylistName);
            if (!File.Exists(playlist) || PlaylistJoin.SliceCount(await File.ReadAllTextAsync(playlist, cancellationToken).ConfigureAwait(false)) == 0)
            {
                throw new JobFailedException("ffmpeg made no slices of this part of the source");
            }

            foreach (var slice in Directory.EnumerateFiles(dir, "seg_*.m4s"))
            {
                await blobs.PutFileAsync(PartLayout.Slice(spec.Asset, ray.Name, Path.GetFileName(slice)), slice, cancellationToken).ConfigureAwait(false);
            }

            // Every part's init segment is the same (same encoder, same settings); the first part's is kept.
            if (spec.Index == 0)
            {
                await blobs.PutFileAsync(PartLayout.Init(spec.Asset, ray.Name), Path.Combine(dir, HlsOutput.InitName), cancellationToken).ConfigureAwait(false);
            }

            // The playlist last: the parent joins a part only once the part is done, and then everything is stored.
            await blobs.PutFileAsync(PartLayout.Playlist(spec.Asset, spec.Index, ray.Name), playlist, cancellationToken).ConfigureAwait(false);
        }

        return new JobOutput(null);
    }

    // A part publishes nothing of its own: the parent's attempt owns (and on failure removes) the asset's files.
    public Task DiscardAsync(JobOutput output, CancellationToken cancellationToken) => Task.CompletedTask;
}
