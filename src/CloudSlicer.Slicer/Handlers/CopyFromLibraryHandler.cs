using CloudSlicer.Core;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Media;
using CloudSlicer.Media.Hls;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Libraries;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// <c>/jobs/copy-from-library</c>: the caller's own copy of an asset shared with it. Every file of the asset's current
/// version is copied blob to blob (a server-side copy on an object store; nothing is downloaded or re-encoded) under
/// the copy's own id, so the copy shares no mutable state with the original: deleting either leaves the other
/// playing. The record copies the media, name, poster, meta and break offsets; the external id stays with the
/// original (it names one asset per owner, and the copy's owner chooses its own).
/// </summary>
public sealed class CopyFromLibraryHandler(
    IAssetStore assets, ILibraryStore libraries, IBlobStore blobs, AssetPublisher publisher, IOptions<MediaOptions> media) : IJobHandler
{
    private const int ParallelCopies = 8;

    public JobKind Kind => JobKind.CopyFromLibrary;

    public async Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(context);
        var spec = JobSpecs.Read<CopySpec>(job);

        // Checked again here: the library may have been unshared since the job was queued.
        var source = await libraries.CanReadAsync(job.Owner, spec.SourceAsset, cancellationToken).ConfigureAwait(false)
            ? await assets.FindPublishedAsync(spec.SourceAsset, cancellationToken).ConfigureAwait(false)
            : null;
        if (source is null)
        {
            throw new JobFailedException($"Asset {spec.SourceAsset} is no longer yours or in a library shared with you (deleted, or the library was unshared); nothing was copied")
            { Permanent = true };
        }

        context.Progress.Report("Copying", 0, 0, 95);
        var copy = Ids.New();
        var names = StoredNames(source).ToList();
        var done = 0;
        try
        {
            foreach (var name in names)
            {
                var from = AssetLayout.File(source, name);
                var keys = await blobs.ListAsync(from, cancellationToken).ConfigureAwait(false);
                await Parallel.ForEachAsync(
                    keys,
                    new ParallelOptions { MaxDegreeOfParallelism = ParallelCopies, CancellationToken = cancellationToken },
                    async (key, ct) => await blobs.CopyAsync(key, AssetLayout.File(copy, 1, name + key[from.Length..]), ct).ConfigureAwait(false))
                    .ConfigureAwait(false);
                context.Progress.Report("Copying", ++done * 100 / Math.Max(1, names.Count), 0, 95);
            }
        }
        catch
        {
            await blobs.DeletePrefixAsync(AssetLayout.Prefix(copy), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        context.Progress.Phase("Storing", 95);
        var manifest = source with
        {
            Id = copy,
            Owner = job.Owner,
            Job = job.Id,
            Version = 1,
            ExternalId = null,
            Folder = null,
            Locations = new Dictionary<string, string>(),
            Superseded = [],
            AutoexpireHours = 0,
            Expires = null,
        };
        var directory = context.Work.Directory("copy");
        await publisher.PublishAsync(
            manifest,
            directory,
            [(AssetLayout.MasterName, HlsMaster.Build(manifest, $"{copy}/", media.Value.AudioKbps))],
            replaceExternalId: false,
            context.HeartbeatNow,
            cancellationToken).ConfigureAwait(false);
        return new JobOutput(copy);
    }

    public Task DiscardAsync(JobOutput output, CancellationToken cancellationToken) =>
        output.Asset is { } asset ? publisher.DiscardAsync(asset, cancellationToken) : Task.CompletedTask;

    /// <summary>The top-level names whose files the record uses, each once: directories end in '/'.</summary>
    private static IEnumerable<string> StoredNames(AssetManifest asset) =>
        asset.StoredNames().Select(n => n.IsDirectory ? n.Name + "/" : n.Name);
}
