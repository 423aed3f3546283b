using System.Globalization;
using CloudSlicer.Core;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Media;
using CloudSlicer.Media.Clips;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Slicer.Handlers.Clips;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// <c>/jobs/quickclip</c>: part of an asset as a new asset, in a time that depends on the clip's length. Slices wholly
/// inside the range are copied blob to blob, unchanged; only the slice at each end is made again, per rendition
/// (docs/clips.md). The clip keeps the source's timeline, so the reused slices keep their timestamps.
/// </summary>
public sealed class QuickClipHandler(
    IAssetStore assets,
    IBlobStore blobs,
    FfmpegRunner ffmpeg,
    AssetPublisher publisher,
    IOptions<MediaOptions> mediaOptions) : IJobHandler
{
    public JobKind Kind => JobKind.QuickClip;

    public async Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken)
    {
        var spec = JobSpecs.Read<QuickClipSpec>(job);
        var source = await assets.GetAsync(job.Owner, spec.Asset, cancellationToken).ConfigureAwait(false)
            ?? throw new JobFailedException($"Asset {spec.Asset} no longer exists (it was deleted after the clip was asked for); nothing was made") { Permanent = true };
        var window = ClipWindow.Of(spec.OffsetMs, spec.DurationMs, source.Duration);
        if (window.DurationMs <= 0)
        {
            throw new JobFailedException(string.Create(CultureInfo.InvariantCulture,
                $"The clip starts at {spec.OffsetMs / 1000.0:0.###} s, at or past the end of asset {source.Id} ({source.Duration:0.###} s)")) { Permanent = true };
        }

        var media = mediaOptions.Value;
        var clip = Ids.New();
        var output = context.Work.Directory("out");
        var clipper = new RenditionClipper(blobs, ffmpeg, media, source, clip, window, context.Work, output);
        try
        {
            context.Progress.Phase("Clipping", 0);
            var slices = 0;
            var done = 0;
            var total = source.Rays.Count + source.Renditions.Count;
            foreach (var ray in source.Rays)
            {
                var count = await clipper.VideoAsync(ray, cancellationToken).ConfigureAwait(false);
                slices = done == 0 ? count : slices;
                context.Progress.Phase("Clipping", 80 * ++done / total);
            }

            foreach (var rendition in source.Renditions)
            {
                await (rendition.Kind == Rendition.Subtitles
                    ? clipper.SubtitlesAsync(rendition, cancellationToken)
                    : clipper.AudioAsync(rendition, cancellationToken)).ConfigureAwait(false);
                context.Progress.Phase("Clipping", 80 * ++done / total);
            }

            context.Progress.Phase("Poster", 85);
            await MakePosterAsync(context, source, window, spec.PosterMs, output, cancellationToken).ConfigureAwait(false);

            context.Progress.Phase("Storing", 95);
            await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
            var manifest = new AssetManifest
            {
                Id = clip,
                Owner = job.Owner,
                Job = job.Id,
                Desc = source.Desc,
                Duration = Math.Round(window.DurationMs / 1000.0, 3),
                SliceDuration = source.SliceDuration,
                Slices = slices,
                Rays = source.Rays,
                Renditions = source.Renditions,
                BreakOffsets = [.. source.BreakOffsets
                    .Where(b => b.Offset * 1000 >= window.StartMs && b.Offset * 1000 < window.EndMs)
                    .Select(b => b with { Offset = Math.Round(b.Offset - (window.StartMs / 1000.0), 3) })],
                Poster = PosterStep.FileName,
                OrigFilename = source.OrigFilename,
            };
            await publisher.PublishAsync(
                manifest,
                output,
                [(AssetLayout.MasterName, HlsMaster.Build(manifest, $"{clip}/", media.AudioKbps))],
                replaceExternalId: false,
                context.HeartbeatNow,
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The reused slices were copied under the clip's prefix before publishing: a failed or cancelled clip leaves none.
            await blobs.DeletePrefixAsync(AssetLayout.Prefix(clip), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new JobOutput(clip);
    }

    public Task DiscardAsync(JobOutput output, CancellationToken cancellationToken) =>
        output.Asset is { } asset ? publisher.DiscardAsync(asset, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// The frame at <c>poster_ts</c>, measured from the source asset's start (as the protocol says), or one a little
    /// way into the clip; decoded from the top ray's slice that holds it, which starts on a key frame.
    /// </summary>
    private async Task MakePosterAsync(JobContext context, AssetManifest source, ClipWindow window, long? posterMs, string output, CancellationToken cancellationToken)
    {
        var top = source.Rays[^1];
        var atMs = posterMs ?? (window.StartMs + Math.Min(window.DurationMs / 2, 5000));
        var files = new AssetFiles(blobs, source);
        var playlist = MediaPlaylist.Parse(await files.ReadTextAsync($"{top.Name}/{HlsOutput.PlaylistName}", cancellationToken).ConfigureAwait(false));
        var at = atMs / 1000.0;
        var segment = playlist.Segments.LastOrDefault(s => s.Start <= at) ?? playlist.Segments[0];
        var sample = context.Work.File("poster-sample.mp4");
        await files.JoinAsync([$"{top.Name}/{HlsOutput.InitName}", $"{top.Name}/{segment.Uri}"], sample, null, cancellationToken).ConfigureAwait(false);

        var into = TimeSpan.FromSeconds(Math.Clamp(at - segment.Start, 0, Math.Max(0, segment.Duration - 0.05)));
        var poster = Path.Combine(output, PosterStep.FileName);
        await ffmpeg.RunAsync(FfmpegCommands.Poster(sample, poster, into, top.Height), TimeSpan.Zero, null, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(poster))
        {
            throw new JobFailedException("ffmpeg could not make the clip's poster");
        }
    }
}
