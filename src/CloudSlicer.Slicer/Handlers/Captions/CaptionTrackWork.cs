using System.Globalization;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Media;
using CloudSlicer.Media.Captions;
using CloudSlicer.Media.Hls;
using CloudSlicer.Slicer.Sources;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Handlers.Captions;

/// <summary>
/// What <c>add_track_vtt</c> and <c>replace_track_vtt</c> share: read the asset's current record, turn each
/// track's TTML into WebVTT segments on the asset's slice grid, and publish the next version with only the new
/// track directories stored. Nothing is written to the asset before the record switch, so a failed or cancelled
/// job leaves it as it was; a version published meanwhile by another job fails the attempt (the retry rebuilds
/// on the newer record).
/// </summary>
public sealed class CaptionTrackWork(SourceFetcher fetcher, IAssetStore assets, AssetPublisher publisher, IOptions<MediaOptions> media)
{
    public async Task<JobOutput> RunAsync(Job job, JobContext context, bool replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(context);
        var spec = JobSpecs.Read<VttTrackSpec>(job);
        var asset = await assets.GetAsync(job.Owner, spec.Asset, cancellationToken).ConfigureAwait(false)
            ?? throw new JobFailedException($"Asset {spec.Asset} no longer exists (it was deleted or expired); nothing was added") { Permanent = true };

        var output = context.Work.Directory("out");
        var tracks = new SubtitleTracks(asset);
        for (var i = 0; i < spec.Tracks.Count; i++)
        {
            var source = spec.Tracks[i];
            context.Progress.Report("Captions", (double)i / spec.Tracks.Count, 0, 90);
            var written = await MakeTrackAsync(asset, source, i, tracks.NextName(), output, cancellationToken).ConfigureAwait(false);
            if (replace)
            {
                tracks.Replace(source.TrackNum ?? 0, written, source);
            }
            else
            {
                tracks.Add(written);
            }

            await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
        }

        context.Progress.Phase("Storing", 90);
        var next = asset with { Job = job.Id, Renditions = tracks.Renditions };
        await publisher.PublishNextAsync(
            asset,
            next,
            output,
            [(AssetLayout.MasterName, HlsMaster.Build(next, $"{asset.Id}/", media.Value.AudioKbps))],
            context.HeartbeatNow,
            cancellationToken).ConfigureAwait(false);
        return new JobOutput(asset.Id);
    }

    /// <summary>
    /// One track's WebVTT rendition, written into <paramref name="output"/>/<paramref name="name"/>. Every failure
    /// names the track (its place in the job, from 0) so a job of many tracks says which one is wrong.
    /// </summary>
    private async Task<Rendition> MakeTrackAsync(AssetManifest asset, VttTrackSource source, int index, string name, string output, CancellationToken cancellationToken)
    {
        var label = string.Create(CultureInfo.InvariantCulture, $"Captions track {index}");
        var ttml = source.TtmlData is { } data
            ? System.Text.Encoding.UTF8.GetBytes(data)
            : await FetchAsync(new Uri(source.TtmlUrl!), label, cancellationToken).ConfigureAwait(false);
        try
        {
            var cues = TtmlParser.Parse(ttml);
            var options = new WebVttOptions
            {
                SliceDuration = asset.SliceDuration > 0 ? TimeSpan.FromSeconds(asset.SliceDuration) : Slices.SliceDuration,
                Settings = CueSettings.From(source.DefaultPosition, source.DefaultVertical),
                TimeOffset = source.SubtitleAbsoluteTime ? CaptionTimeline.Origin(cues) : TimeSpan.Zero,
            };
            var track = WebVttWriter.Write(cues, TimeSpan.FromSeconds(asset.Duration), options);
            await track.WriteToAsync(Path.Combine(output, name), cancellationToken).ConfigureAwait(false);
        }
        catch (CaptionException ex)
        {
            throw new JobFailedException($"{label}: {ex.Message}", ex) { Permanent = true };
        }

        return new Rendition(Rendition.Subtitles, name, source.Lang, $"{name}/{WebVttTrack.PlaylistName}", Desc: source.Desc);
    }

    private async Task<byte[]> FetchAsync(Uri url, string label, CancellationToken cancellationToken)
    {
        try
        {
            return await fetcher.FetchSmallAsync(url, TtmlLimits.Default.MaxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (SourceException ex)
        {
            throw new JobFailedException($"{label}: ttml_url: {ex.Message}", ex) { Permanent = ex.Permanent };
        }
    }
}
