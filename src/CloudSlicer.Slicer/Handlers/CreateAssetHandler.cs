using System.Globalization;
using System.Text.Json.Nodes;
using CloudSlicer.Core;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Media;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Media.Probe;
using CloudSlicer.Slicer.Handlers.Captions;
using CloudSlicer.Slicer.Handlers.Parts;
using CloudSlicer.Slicer.Sources;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// <c>/jobs/create</c>: download the source, probe it, slice it into an adaptive ladder of rays plus an
/// audio rendition (CMAF, 4.096 s slices), make a poster, and publish the asset. A source longer than
/// <c>Slicer:PartSeconds</c> is cut into parts that any free slicers encode in parallel (<see cref="SplitEncode"/>).
/// </summary>
public sealed class CreateAssetHandler(
    SourceFetcher fetcher,
    FfprobeRunner ffprobe,
    FfmpegRunner ffmpeg,
    AssetPublisher publisher,
    SplitEncode split,
    IOptions<SlicerOptions> slicerOptions,
    IOptions<MediaOptions> mediaOptions) : IJobHandler
{
    public JobKind Kind => JobKind.Create;

    public async Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken)
    {
        // The URL as sent lives in the never-echoed spec (source holds its redacted echo); jobs created
        // before specs existed have it in source only.
        var spec = job.SecretsJson is not null ? JobSpecs.Read<CreateSpec>(job) : null;
        var url = new Uri(spec?.Url
            ?? JsonNode.Parse(job.SourceJson)?["url"]?.GetValue<string>() ?? throw new JobFailedException("The job has no source URL"));
        var args = await SidecarArgs.MergeAsync(fetcher, url, job.ArgsJson, cancellationToken).ConfigureAwait(false);
        if (!JsonNode.DeepEquals(args.Normalized, JsonNode.Parse(job.ArgsJson)))
        {
            // The sidecar added settings: the job reports them, and its notifications go where they say.
            await context.RecordArgs(args.Normalized.ToJsonString(), cancellationToken).ConfigureAwait(false);
        }

        var captions = await CaptionSidecar.TryReadAsync(fetcher, url, cancellationToken).ConfigureAwait(false);
        var sourcePath = context.Work.File("source");
        context.Progress.Report("Downloading", 0, 0, 15);
        await fetcher.DownloadSourceAsync(url, spec?.Credentials, sourcePath, context.Progress.For("Downloading", 0, 15), cancellationToken).ConfigureAwait(false);

        context.Progress.Phase("Probing", 15);
        var probe = await ffprobe.ProbeAsync(sourcePath, cancellationToken).ConfigureAwait(false);
        var source = probe.ToSourceInfo();
        if (!source.HasVideo)
        {
            throw new JobFailedException("The source has no video stream; /jobs/create slices video (add audio to an existing asset with /jobs/add_track_audio)") { Permanent = true };
        }

        // Drawn per attempt, before the encode: the parts of a split source store their slices straight into it.
        var asset = Ids.New();
        try
        {
            return await EncodeAndPublishAsync(job, context, url, args, captions, sourcePath, probe, asset, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await split.CleanUpAsync(asset).ConfigureAwait(false);
        }
    }

    private async Task<JobOutput> EncodeAndPublishAsync(
        Job job, JobContext context, Uri url, SlicerArgs args, CaptionSidecar? captions, string sourcePath, ProbeResult probe, string asset, CancellationToken cancellationToken)
    {
        var source = probe.ToSourceInfo();
        var encoded = await EncodeAsync(job, context, args, sourcePath, probe, asset, cancellationToken).ConfigureAwait(false);
        var duration = encoded.Duration;
        var rays = encoded.Rays;
        var media = mediaOptions.Value;
        var output = encoded.Output;

        context.Progress.Phase("Storing", 95);
        await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
        var manifest = NewAssetManifest(asset, job, url, args, duration, rays, source.HasAudio, output) with
        {
            Poster = encoded.Media.Poster,
            Thumbnails = encoded.Media.Thumbnails,
            BreakOffsets = encoded.Media.BreakOffsets,
        };
        if (captions is not null)
        {
            manifest = manifest with { Renditions = [.. manifest.Renditions, await captions.WriteAsync(output, duration, cancellationToken).ConfigureAwait(false)] };
        }

        var record = await publisher.PublishAsync(
            manifest,
            output,
            [(AssetLayout.MasterName, HlsMaster.Build(manifest, $"{asset}/", media.AudioKbps))],
            args.Asset.AutoReplace,
            context.HeartbeatNow,
            cancellationToken).ConfigureAwait(false);
        await publisher.JoinLibrariesAsync(record, args.Asset.Libraries, cancellationToken).ConfigureAwait(false);
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
        // From the playlist: a split source's slices are already in the blob store, not in the output directory.
        Slices = PlaylistJoin.SliceCount(File.ReadAllText(Path.Combine(output, rays[0].Name, HlsOutput.PlaylistName))),
        Rays = rays,
        Renditions = hasAudio
            ? [HlsMaster.OwnAudio(mediaOptions.Value.AudioKbps)]
            : [],
        OrigFilename = Uri.UnescapeDataString(url.Segments[^1].TrimEnd('/')),
        AutoexpireHours = args.Asset.AutoexpireHours,
        SkipDrm = args.Asset.SkipDrm,
    };

    /// <summary>
    /// The encode part: the ladder with the media settings' filters, break marks in the playlists, the
    /// poster and the thumbnails. Returns what the asset record lists.
    /// </summary>
    private async Task<EncodeOutcome> EncodeAsync(Job job, JobContext context, SlicerArgs args, string sourcePath, ProbeResult probe, string asset, CancellationToken cancellationToken)
    {
        var source = probe.ToSourceInfo();
        var settings = args.Media;
        var (start, window) = Window(source, args.Trim);
        var plan = MediaPlan.Create(settings, start, window);
        if (plan.Duration < TimeSpan.FromMilliseconds(100))
        {
            throw new JobFailedException("breaks: the ranges cut out all of the source (or of its trim window); leave some content") { Permanent = true };
        }

        var rays = LadderPlanner.Plan(WithAspect(source, settings.ForceAspectRatio), slicerOptions.Value.LadderOrDefault);
        RequireAudioTracks(probe, settings.AudioMix);
        var output = context.Work.Directory("out");
        var media = mediaOptions.Value;
        var images = new SettingImages(fetcher, ffprobe);

        // The images are fetched before the encode, so a bad URL fails the job before the long part.
        var posterFile = settings.PosterFile is { } posterUrl
            ? await images.FetchAsync("poster_file", posterUrl, context.Work.File("poster-file"), cancellationToken).ConfigureAwait(false)
            : null;
        var bugImages = new List<string>();
        foreach (var (bug, i) in settings.Bugs.Select((b, i) => (b, i)))
        {
            bugImages.Add(await images.FetchAsync("bug", bug.Url, context.Work.File(string.Create(CultureInfo.InvariantCulture, $"bug{i}")), cancellationToken).ConfigureAwait(false));
        }

        context.Progress.Report("Slicing", 0, 15, 95);
        await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
        // Without cuts, max_slices also shortens what is read of the source (the filters cap it either way).
        var readFor = plan.Cuts.Count == 0 && plan.Duration < window ? plan.Duration : window;
        var request = new HlsLadderRequest(sourcePath, output, rays, source.HasAudio)
        {
            TrimStart = start,
            TrimDuration = args.Trim is null && readFor == window ? null : readFor,
            Preset = media.X264Preset,
            AudioKbps = media.AudioKbps,
            Cuts = plan.Cuts,
            MaxDuration = settings.MaxDuration,
            Fades = settings.Fades,
            Bugs = plan.Overlays(settings.Bugs, bugImages),
            DisplayAspect = settings.ForceAspectRatio,
            AudioMix = settings.AudioMix,
        };
        var windows = Splittable(settings, plan, context) ? PartWindows.Plan(plan.Duration, slicerOptions.Value.PartSeconds) : [];
        var parts = windows.Count > 1;
        var written = parts
            ? await split.EncodeAsync(job, context, asset, request with { TrimDuration = plan.Duration }, windows, plan.Duration, cancellationToken).ConfigureAwait(false)
            : await ffmpeg.RunAsync(FfmpegCommands.HlsLadder(request), plan.Duration, context.Progress.For("Slicing", 15, 95), cancellationToken).ConfigureAwait(false);
        RequireWhole(written, plan.Duration);

        var renditions = rays.Select(r => r.Name).Concat(source.HasAudio ? [FfmpegCommands.AudioRendition] : []).ToList();
        var timedMetadata = settings.TimedMetadata.Where(t => t.TimeMs <= plan.Duration.TotalMilliseconds).ToList();
        var adBreaks = plan.AdBreaks;
        if (adBreaks.Count > 0 || timedMetadata.Count > 0)
        {
            await HlsOutput.RewritePlaylistsAsync(
                output, renditions, text => HlsDateRanges.Insert(HlsCueMarks.Insert(text, adBreaks), timedMetadata), cancellationToken).ConfigureAwait(false);
        }
        var poster = parts
            ? await SplitPosterAsync(context, asset, output, rays[^1], settings, plan.Duration, posterFile, cancellationToken).ConfigureAwait(false)
            : await new PosterStep(ffmpeg).MakeAsync(context, output, rays[^1], settings, plan.Duration, posterFile, cancellationToken).ConfigureAwait(false);
        var thumbnails = await new ThumbnailStep(ffmpeg).MakeAsync(context, output, rays[^1], settings.Thumbnails, cancellationToken).ConfigureAwait(false);
        return new EncodeOutcome(output, rays, new EncodedMedia(poster, thumbnails, plan.BreakOffsets, plan.Duration));
    }

    /// <summary>
    /// Whether the source may be cut into parts: each part is the whole encode's ladder on a window of the source, so
    /// settings that place things on the whole asset's timeline or read every slice (cuts, fades, bugs, thumbnails)
    /// keep the source whole, as does a slicer that cannot run parts here (docs/parts.md).
    /// </summary>
    private static bool Splittable(MediaSettings settings, MediaPlan plan, JobContext context) =>
        context.Lease is not null && context.RunPart is not null
        && plan.Cuts.Count == 0 && settings.Fades.Count == 0 && settings.Bugs.Count == 0 && settings.Thumbnails.Count == 0;

    /// <summary>The poster of a split source: from the top ray's slice in the blob store, as <see cref="PosterStep"/> takes it from the output directory.</summary>
    private async Task<string> SplitPosterAsync(JobContext context, string asset, string output, Ray top, MediaSettings settings, TimeSpan duration, string? posterFile, CancellationToken cancellationToken)
    {
        var scratch = context.Work.Directory("poster-slice");
        if (posterFile is null)
        {
            // The slice PosterStep reads: the same choice of time as there.
            var at = settings.PosterAt is { } asked
                ? (asked < duration ? asked : duration - TimeSpan.FromMilliseconds(Math.Min(100, duration.TotalMilliseconds)))
                : TimeSpan.FromTicks(Math.Min(duration.Ticks / 2, TimeSpan.FromSeconds(5).Ticks));
            await split.FetchSliceAsync(asset, top.Name, (int)(at / Slices.SliceDuration), scratch, cancellationToken).ConfigureAwait(false);
        }

        var poster = await new PosterStep(ffmpeg).MakeAsync(context, scratch, top, settings, duration, posterFile, cancellationToken).ConfigureAwait(false);
        File.Move(Path.Combine(scratch, poster), Path.Combine(output, poster));
        return poster;
    }

    private sealed record EncodeOutcome(string Output, IReadOnlyList<Ray> Rays, EncodedMedia Media)
    {
        public TimeSpan Duration => Media.Duration;
    }

    /// <summary>force_aspect_ratio: the ladder is planned as if the source's pictures had that shape.</summary>
    private static SourceInfo WithAspect(SourceInfo source, AspectRatio? ratio) =>
        ratio is { } r ? source with { Width = Math.Max(2, (int)Math.Round(source.Height * r.Value)) } : source;

    private static void RequireAudioTracks(ProbeResult probe, IReadOnlyList<AudioMix> mix)
    {
        var tracks = probe.Streams.Count(s => s.IsAudio);
        if (mix.FirstOrDefault(m => m.Track >= tracks) is { } missing)
        {
            throw new JobFailedException(string.Create(CultureInfo.InvariantCulture,
                $"mix_atracks: the source has {tracks} audio track(s) (numbered from 0) and no track {missing.Track}")) { Permanent = true };
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
