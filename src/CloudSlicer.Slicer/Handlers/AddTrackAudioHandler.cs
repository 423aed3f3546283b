using System.Globalization;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Media;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Media.Probe;
using CloudSlicer.Slicer.Handlers.Tracks;
using CloudSlicer.Slicer.Sources;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// <c>/jobs/add_track_audio</c>: each track is downloaded through the SSRF guard, probed (allowed containers only),
/// encoded to AAC-LC 48 kHz stereo (and E-AC-3 5.1 with <c>dolby</c>) on the asset's own 4.096 s slice grid and
/// exactly the asset's length, and published as the asset's next version, which stores only the new tracks and
/// shares every other file with the versions before it. Until the switch the previous version is what plays; a
/// failure or cancel before it leaves the asset as it was.
/// </summary>
public sealed class AddTrackAudioHandler(
    SourceFetcher fetcher,
    FfprobeRunner ffprobe,
    FfmpegRunner ffmpeg,
    IAssetStore assets,
    AssetPublisher publisher,
    IOptions<MediaOptions> mediaOptions) : IJobHandler
{
    private const int EncodedPercent = 92;

    public JobKind Kind => JobKind.AddTrackAudio;

    public async Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(context);
        var spec = JobSpecs.Read<AudioTrackSpec>(job);

        // Planned on the record as it is now; a job that publishes first makes this attempt's switch fail
        // (a version conflict, not permanent), and the retry plans again on the newer record.
        var previous = await assets.GetAsync(job.Owner, spec.Asset, cancellationToken).ConfigureAwait(false)
            ?? throw new JobFailedException($"Asset {spec.Asset} no longer exists (it was deleted or expired after the job was queued); nothing was added") { Permanent = true };
        var audioKbps = mediaOptions.Value.AudioKbps;
        var planned = AudioTrackPlan.Plan(previous, spec.Tracks, audioKbps);
        var duration = TimeSpan.FromSeconds(previous.Duration);

        var output = context.Work.Directory("out");
        for (var i = 0; i < planned.Count; i++)
        {
            var (from, to) = (EncodedPercent * i / planned.Count, EncodedPercent * (i + 1) / planned.Count);
            var middle = from + ((to - from) / 3);
            await EncodeAsync(context, planned[i], Which(i, planned.Count), output, duration, audioKbps, (from, middle, to), cancellationToken).ConfigureAwait(false);
        }

        context.Progress.Phase("Storing", EncodedPercent);
        await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
        var next = previous with
        {
            Job = job.Id,
            Renditions = [.. previous.Renditions, .. planned.SelectMany(t => t.Renditions)],
        };
        await publisher.PublishNextAsync(
            previous,
            next,
            output,
            [(AssetLayout.MasterName, HlsMaster.Build(next, $"{next.Id}/", audioKbps))],
            context.HeartbeatNow,
            cancellationToken).ConfigureAwait(false);
        return new JobOutput(previous.Id);
    }

    /// <summary>
    /// Nothing to undo: a track job's output is a later version of an existing asset, which is kept (see
    /// <see cref="AssetPublisher.DiscardAsync"/>); the previous version's files are all still stored.
    /// </summary>
    public Task DiscardAsync(JobOutput output, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EncodeAsync(
        JobContext context,
        AudioTrackPlan.PlannedTrack track,
        string which,
        string output,
        TimeSpan duration,
        int audioKbps,
        (int From, int Middle, int To) percent,
        CancellationToken cancellationToken)
    {
        var path = context.Work.File("track-" + track.Aac.Name);
        context.Progress.Report("Downloading", 0, percent.From, percent.Middle);
        try
        {
            await fetcher.DownloadAsync(new Uri(track.Source.Url), path, context.Progress.For("Downloading", percent.From, percent.Middle), cancellationToken).ConfigureAwait(false);
        }
        catch (SourceException ex)
        {
            throw new JobFailedException($"{which} could not be fetched: {ex.Message}", ex) { Permanent = ex.Permanent };
        }

        context.Progress.Phase("Probing", percent.Middle);
        ProbeResult probe;
        try
        {
            probe = await ffprobe.ProbeAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException ex)
        {
            throw new JobFailedException($"{which}: {ex.Message}", ex) { Permanent = ex.Permanent };
        }

        if (probe.Audio is null)
        {
            throw new JobFailedException($"{which} has no audio stream (the file at its url holds only video or pictures); give the URL of an audio file") { Permanent = true };
        }

        context.Progress.Report("Slicing", 0, percent.Middle, percent.To);
        await context.HeartbeatNow(cancellationToken).ConfigureAwait(false);
        var args = FfmpegCommands.AudioTracks(path, output, duration, track.Outputs(audioKbps));
        await ffmpeg.RunAsync(args, duration, context.Progress.For("Slicing", percent.Middle, percent.To), cancellationToken).ConfigureAwait(false);
        File.Delete(path);
    }

    /// <summary>How errors name the track: "The audio track", or "Audio track 2 of 3" in a list.</summary>
    private static string Which(int index, int count) =>
        count == 1 ? "The audio track" : string.Create(CultureInfo.InvariantCulture, $"Audio track {index + 1} of {count}");
}
