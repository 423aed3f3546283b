using System.Globalization;
using System.Text.Json.Nodes;
using CloudSlicer.Core;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Media;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Media.Probe;
using CloudSlicer.Slicer.Sources;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// <c>/jobs/create</c>: download the source, probe it, slice it into an adaptive ladder of rays plus an
/// audio rendition (CMAF, 4.096 s slices), make a poster, and publish the asset.
/// </summary>
public sealed class CreateAssetHandler(
    SourceFetcher fetcher,
    FfprobeRunner ffprobe,
    FfmpegRunner ffmpeg,
    AssetPublisher publisher,
    IOptions<SlicerOptions> slicerOptions,
    IOptions<MediaOptions> mediaOptions) : IJobHandler
{
    public JobKind Kind => JobKind.Create;

    public async Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken)
    {
        // The URL as sent lives in the never-echoed secrets (source holds its redacted echo); jobs created
        // before that change have it in source only.
        var url = new Uri((job.SecretsJson is { } secrets ? JsonNode.Parse(secrets)?["url"]?.GetValue<string>() : null)
            ?? JsonNode.Parse(job.SourceJson)?["url"]?.GetValue<string>()
            ?? throw new JobFailedException("The job has no source URL"));
        var args = await SidecarArgs.MergeAsync(fetcher, url, job.ArgsJson, cancellationToken).ConfigureAwait(false);

        var sourcePath = context.Work.File("source");
        context.Progress.Report("Downloading", 0, 0, 15);
        await fetcher.DownloadAsync(url, sourcePath, context.Progress.For("Downloading", 0, 15), cancellationToken).ConfigureAwait(false);

        context.Progress.Phase("Probing", 15);
        var source = (await ffprobe.ProbeAsync(sourcePath, cancellationToken).ConfigureAwait(false)).ToSourceInfo();
        if (!source.HasVideo)
        {
            throw new JobFailedException("The source has no video stream; /jobs/create slices video (add audio to an existing asset with /jobs/add_track_audio)") { Permanent = true };
        }

        var (start, duration) = Window(source, args.Trim);
        var rays = LadderPlanner.Plan(source, slicerOptions.Value.LadderOrDefault);
        var output = context.Work.Directory("out");
        var media = mediaOptions.Value;

        context.Progress.Report("Slicing", 0, 15, 95);
        await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
        var ladder = FfmpegCommands.HlsLadder(new HlsLadderRequest(sourcePath, output, rays, source.HasAudio)
        {
            TrimStart = start,
            TrimDuration = args.Trim is null ? null : duration,
            Preset = media.X264Preset,
            AudioKbps = media.AudioKbps,
        });
        var written = await ffmpeg.RunAsync(ladder, duration, context.Progress.For("Slicing", 15, 95), cancellationToken).ConfigureAwait(false);
        RequireWhole(written, duration);

        await MakePosterAsync(context, output, rays[^1], duration, cancellationToken).ConfigureAwait(false);

        context.Progress.Phase("Storing", 95);
        await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
        var asset = Ids.New();
        var manifest = NewAssetManifest(asset, job, url, args, duration, rays, source.HasAudio, output);
        await publisher.PublishAsync(
            manifest,
            output,
            [(AssetLayout.MasterName, HlsMaster.Build(rays, source.HasAudio, $"{asset}/", media.AudioKbps))],
            args.Asset.AutoReplace,
            context.HeartbeatNow,
            cancellationToken).ConfigureAwait(false);
        return new JobOutput(asset);
    }

    /// <summary>The record of the new asset: its media as encoded, and what the job's settings say about it.</summary>
    private AssetManifest NewAssetManifest(string asset, Job job, Uri url, SlicerArgs args, TimeSpan duration, IReadOnlyList<Ray> rays, bool hasAudio, string output) => new()
    {
        Id = asset,
        Owner = job.Owner,
        Job = job.Id,
        ExternalId = args.Asset.ExternalId,
        Desc = args.Description ?? "",
        Meta = args.Asset.Meta,
        Duration = Math.Round(duration.TotalSeconds, 3),
        SliceDuration = Slices.SliceDuration.TotalSeconds,
        Slices = Directory.EnumerateFiles(Path.Combine(output, rays[0].Name), "seg_*.m4s").Count(),
        Rays = rays,
        Renditions = hasAudio
            ? [new Rendition("audio", FfmpegCommands.AudioRendition, "en", $"{FfmpegCommands.AudioRendition}/index.m3u8", mediaOptions.Value.AudioKbps)]
            : [],
        Poster = "poster.jpg",
        OrigFilename = Uri.UnescapeDataString(url.Segments[^1].TrimEnd('/')),
        AutoexpireHours = args.Asset.AutoexpireHours,
        SkipDrm = args.Asset.SkipDrm,
    };

    /// <summary>
    /// The poster is the first frame of a slice of the top ray (a key frame): a little way in, since many
    /// sources open on black, and only one frame to decode.
    /// </summary>
    private async Task MakePosterAsync(JobContext context, string output, Ray top, TimeSpan duration, CancellationToken cancellationToken)
    {
        var at = TimeSpan.FromTicks(Math.Min(duration.Ticks / 2, TimeSpan.FromSeconds(5).Ticks));
        var sample = await HlsOutput.WriteSliceSampleAsync(output, top.Name, (int)(at / Slices.SliceDuration), context.Work.File("poster-sample.mp4"), cancellationToken).ConfigureAwait(false);
        var poster = Path.Combine(output, "poster.jpg");
        await ffmpeg.RunAsync(FfmpegCommands.Poster(sample, poster, TimeSpan.Zero, top.Height), TimeSpan.Zero, null, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(poster))
        {
            throw new JobFailedException("ffmpeg could not take a poster frame from the sliced video");
        }
    }

    public Task DiscardAsync(JobOutput output, CancellationToken cancellationToken) =>
        output.Asset is { } asset ? publisher.DiscardAsync(asset, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// A truncated file often still has its full-length index, so ffmpeg "succeeds" with a short asset.
    /// Anything more than a second and 10% short of what the container announced is failed instead.
    /// </summary>
    private static void RequireWhole(TimeSpan written, TimeSpan expected)
    {
        if (expected - written > TimeSpan.FromSeconds(1) && written < expected * 0.9)
        {
            throw new JobFailedException(string.Create(CultureInfo.InvariantCulture,
                $"The source ended early: only {written.TotalSeconds:0.#} s of the {expected.TotalSeconds:0.#} s its container announces could be decoded; the file is probably truncated or damaged"));
        }
    }

    /// <summary>The part of the source to slice: all of it, or the trim window cut to the source's end.</summary>
    private static (TimeSpan Start, TimeSpan Duration) Window(SourceInfo source, Trim? trim)
    {
        if (trim is not { } t)
        {
            return (TimeSpan.Zero, source.Duration);
        }

        if (t.Start >= source.Duration)
        {
            throw new JobFailedException(string.Create(CultureInfo.InvariantCulture,
                $"trim starts at {t.Start.TotalSeconds:0.###} s but the source is only {source.Duration.TotalSeconds:0.###} s long"));
        }

        var rest = source.Duration - t.Start;
        return (t.Start, t.Duration is { } d && d < rest ? d : rest);
    }
}
