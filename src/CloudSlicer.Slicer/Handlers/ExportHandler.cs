using System.Text;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Media;
using CloudSlicer.Media.Audio;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Slicer.Handlers.Exports;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// <c>/jobs/create_export</c>: one downloadable MP4 of an asset. The top ray's slices are joined as they are
/// (no video re-encode); the asset's own audio is decoded once and encoded HE-AAC v1 (or AAC-LC with
/// <c>aaclc</c>); both go into <c>export.mp4</c> by stream copy with the index first, with
/// <c>export.mp4.ttml</c> beside it when the asset has captions. Published as the asset's next version,
/// so a failed or cancelled export leaves the asset as it was, and a later export replaces this one.
/// </summary>
public sealed class ExportHandler(
    IAssetStore assets,
    IBlobStore blobs,
    AudioEncoder audioEncoder,
    FfmpegRunner ffmpeg,
    AssetPublisher publisher,
    IOptions<MediaOptions> mediaOptions) : IJobHandler
{
    public const string FileName = AssetExport.FileName;

    public JobKind Kind => JobKind.Export;

    public async Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken)
    {
        var spec = JobSpecs.Read<ExportSpec>(job);
        var previous = await assets.GetAsync(job.Owner, spec.Asset, cancellationToken).ConfigureAwait(false)
            ?? throw new JobFailedException($"Asset {spec.Asset} no longer exists (it was deleted or has expired); nothing was exported") { Permanent = true };
        if (previous.Rays.Count == 0)
        {
            throw new JobFailedException($"Asset {previous.Id} has no video to export") { Permanent = true };
        }

        var files = new AssetFiles(blobs, previous);
        var duration = TimeSpan.FromSeconds(previous.Duration);
        var ownAudio = previous.Renditions.FirstOrDefault(r => r is { Kind: Rendition.Audio, Name: FfmpegCommands.AudioRendition })
            ?? previous.Renditions.FirstOrDefault(r => r.Kind == Rendition.Audio && r.Codec != "eac3");

        context.Progress.Report("Reading", 0, 0, 20);
        var video = context.Work.File("video.mp4");
        await files.JoinAsync($"{previous.Rays[^1].Name}/{HlsOutput.PlaylistName}", video, context.Progress.For("Reading", 0, ownAudio is null ? 20 : 15), cancellationToken).ConfigureAwait(false);
        string? audio = null;
        if (ownAudio is not null)
        {
            var joinedAudio = context.Work.File("audio.mp4");
            await files.JoinAsync(ownAudio.Path, joinedAudio, context.Progress.For("Reading", 15, 20), cancellationToken).ConfigureAwait(false);

            context.Progress.Report("Encoding audio", 0, 20, 75);
            await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
            audio = context.Work.File("audio.m4a");
            var request = new AudioEncodeRequest(joinedAudio, audio)
            {
                Profile = spec.AacLc ? AacProfile.AacLc : AacProfile.HeAacV1,
                Duration = duration,
                OnAssetTimeline = true,
            };
            await audioEncoder.EncodeAsync(request, context.Progress.For("Encoding audio", 20, 75), cancellationToken).ConfigureAwait(false);
        }

        context.Progress.Report("Joining", 0, 75, 90);
        await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
        var output = context.Work.Directory("export");
        await ffmpeg.RunAsync(FfmpegCommands.ExportMux(video, audio, Path.Combine(output, FileName)), duration, context.Progress.For("Joining", 75, 90), cancellationToken)
            .ConfigureAwait(false);
        var captions = await WriteCaptionsAsync(files, previous, output, cancellationToken).ConfigureAwait(false);

        context.Progress.Phase("Storing", 90);
        await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
        var next = previous with
        {
            Job = job.Id,
            Export = new AssetExport(FileName, spec.AacLc ? "LC" : "HE-AAC", captions),
        };
        var master = HlsMaster.Build(next, $"{previous.Id}/", mediaOptions.Value.AudioKbps);
        await publisher.PublishNextAsync(previous, next, output, [(AssetLayout.MasterName, master)], context.HeartbeatNow, cancellationToken).ConfigureAwait(false);
        return new JobOutput(previous.Id);
    }

    /// <summary>
    /// Not undone: the export is a complete version of an asset that already existed (its record switched in
    /// one step), and removing a version is never a reason to touch the asset.
    /// </summary>
    public Task DiscardAsync(JobOutput output, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The first caption track as <c>export.mp4.ttml</c>; null when the asset has none.</summary>
    private static async Task<string?> WriteCaptionsAsync(AssetFiles files, AssetManifest asset, string output, CancellationToken cancellationToken)
    {
        if (asset.Renditions.FirstOrDefault(r => r.Kind == Rendition.Subtitles) is not { } track)
        {
            return null;
        }

        var segments = new List<string>();
        foreach (var segment in await files.SegmentsAsync(track.Path, cancellationToken).ConfigureAwait(false))
        {
            segments.Add(await files.ReadTextAsync(segment, cancellationToken).ConfigureAwait(false));
        }

        var name = FileName + CaptionsTtml.Extension;
        var ttml = CaptionsTtml.Write(CaptionsTtml.ReadCues(segments), track.Lang);
        await File.WriteAllTextAsync(Path.Combine(output, name), ttml, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        return name;
    }
}
