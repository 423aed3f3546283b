using System.Globalization;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Slicer.Handlers.Parts;

/// <summary>
/// The create job's side of a split source (docs/parts.md): shares the source through the blob store, queues one
/// part per window, encodes the whole audio itself (one AAC stream, so no priming lands at a join), then encodes
/// its own job's waiting parts while other free slicers take the others, waits (its lease kept by its heartbeats)
/// for parts held elsewhere, and joins every rendition's playlist into its output directory. The slices are
/// already in the asset's first version; the publisher stores the rest as for a whole-source encode.
/// </summary>
public sealed class SplitEncode(IJobQueue queue, IBlobStore blobs, FfmpegRunner ffmpeg, TimeProvider clock)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <param name="whole">The ladder a whole-source encode would run (trim window, rays, settings) into the output directory.</param>
    /// <param name="windows">From <see cref="PartWindows"/>, in the asset's timeline.</param>
    /// <returns>The joined asset's length.</returns>
    public async Task<TimeSpan> EncodeAsync(
        Job job, JobContext context, string asset, HlsLadderRequest whole, IReadOnlyList<(int FirstSlice, TimeSpan Start, TimeSpan Duration)> windows,
        TimeSpan duration, CancellationToken cancellationToken)
    {
        var lease = context.Lease ?? throw new InvalidOperationException("a split encode needs the job's lease");
        await ForgetEarlierAttemptsAsync(job.Id, lease, asset, cancellationToken).ConfigureAwait(false);
        try
        {
            // A copy: the blob store may move the file it is given, and the audio is encoded from this one.
            var shared = context.Work.File("source-shared");
            File.Copy(whole.Input, shared);
            await blobs.PutFileAsync(PartLayout.Source(asset), shared, cancellationToken).ConfigureAwait(false);

            var trimStart = whole.TrimStart ?? TimeSpan.Zero;
            var parts = windows.Select((w, i) => new NewJob(job.Owner, JobKind.SlicePart, "{}", "{}",
                new PartSpec(job.Id, asset, i, w.FirstSlice, i + 1 < windows.Count ? windows[i + 1].FirstSlice : null, (trimStart + w.Start).TotalSeconds, w.Duration.TotalSeconds, whole.Rays, whole.Preset, whole.DisplayAspect).ToJson(),
                asset)).ToList();
            if ((await queue.EnqueuePartsAsync(lease, parts, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                throw new JobFailedException("The job was taken over while its parts were being queued");
            }

            // The audio is encoded once no part of the job waits: it fills the time spent waiting for other slicers.
            var audio = whole.HasAudio
                ? () => ffmpeg.RunAsync(FfmpegCommands.HlsLadder(whole with { AudioOnly = true }), duration, null, cancellationToken)
                : (Func<Task<TimeSpan>>?)null;
            await RunPartsAsync(job.Id, asset, context, windows, audio, cancellationToken).ConfigureAwait(false);
            return await JoinAsync(asset, whole, windows.Count, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await queue.CancelPartsAsync(lease, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                await blobs.DeletePrefixAsync(AssetLayout.Prefix(asset), CancellationToken.None).ConfigureAwait(false);
                await CleanUpAsync(asset).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Removes what only the parts needed (the shared source, the parts' playlists).</summary>
    public Task CleanUpAsync(string asset) => blobs.DeletePrefixAsync(PartLayout.Prefix(asset), CancellationToken.None);

    /// <summary>
    /// Copies one slice of a ray (with its init segment) from the asset into <paramref name="directory"/>, laid out
    /// as the encoder wrote it, for the steps that read a slice (the poster).
    /// </summary>
    public async Task FetchSliceAsync(string asset, string ray, int index, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(directory, ray));
        foreach (var name in new[] { HlsOutput.InitName, HlsOutput.SegmentName(index) })
        {
            await using var read = await blobs.OpenReadAsync(PartLayout.Slice(asset, ray, name), null, cancellationToken).ConfigureAwait(false)
                ?? throw new JobFailedException("A slice of the asset went missing while it was being made");
            await using var file = File.Create(Path.Combine(directory, ray, name));
            await read.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    // A retried create job draws a new asset: an earlier attempt's parts are cancelled and their files removed.
    private async Task ForgetEarlierAttemptsAsync(string parent, Lease lease, string asset, CancellationToken cancellationToken)
    {
        var earlier = (await queue.ListPartsAsync(parent, cancellationToken).ConfigureAwait(false))
            .Select(p => p.Asset).OfType<string>().Where(a => a != asset).Distinct(StringComparer.Ordinal).ToList();
        if (earlier.Count == 0)
        {
            return;
        }

        await queue.CancelPartsAsync(lease, cancellationToken).ConfigureAwait(false);
        foreach (var old in earlier)
        {
            await blobs.DeletePrefixAsync(AssetLayout.Prefix(old), cancellationToken).ConfigureAwait(false);
            await blobs.DeletePrefixAsync(PartLayout.Prefix(old), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Work stealing: while a part of this job waits, this slicer claims and encodes it; when none waits it watches
    /// the parts held by other slicers (a part whose slicer died comes back when its lease expires, and is claimed
    /// here or anywhere). A part that fails for good fails the job with its error.
    /// </summary>
    private async Task RunPartsAsync(
        string parent, string asset, JobContext context, IReadOnlyList<(int FirstSlice, TimeSpan Start, TimeSpan Duration)> windows, Func<Task<TimeSpan>>? audio,
        CancellationToken cancellationToken)
    {
        var total = windows.Sum(w => w.Duration.TotalSeconds);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parts = (await queue.ListPartsAsync(parent, cancellationToken).ConfigureAwait(false)).Where(p => p.Asset == asset).ToList();
            if (parts.Count != windows.Count)
            {
                throw new JobFailedException("Parts of the job went missing while it was being sliced");
            }

            if (parts.FindIndex(p => p.State is JobState.Error or JobState.Cancelled) is var failed and >= 0)
            {
                throw new JobFailedException(string.Create(CultureInfo.InvariantCulture,
                    $"The part of the source from {windows[failed].Start.TotalSeconds:0.###} s could not be sliced: {parts[failed].LastError}"))
                { Permanent = parts[failed].State == JobState.Error };
            }

            var done = parts.Select((p, i) => windows[i].Duration.TotalSeconds * p.State switch
            {
                JobState.Done => 1.0,
                JobState.Assigned => p.Percent / 100.0,
                _ => 0.0,
            }).Sum();
            context.Progress.Report("Slicing", done / total, 15, 90);
            var allDone = parts.TrueForAll(p => p.State == JobState.Done);
            if (!allDone && context.RunPart is { } runPart && await runPart(parent, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (audio is not null)
            {
                await audio().ConfigureAwait(false);
                audio = null;
            }
            else if (allDone)
            {
                return;
            }
            else
            {
                await Task.Delay(Poll, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<TimeSpan> JoinAsync(string asset, HlsLadderRequest whole, int parts, CancellationToken cancellationToken)
    {
        var length = TimeSpan.Zero;
        foreach (var ray in whole.Rays)
        {
            var playlists = new List<string>(parts);
            for (var i = 0; i < parts; i++)
            {
                await using var read = await blobs.OpenReadAsync(PartLayout.Playlist(asset, i, ray.Name), null, cancellationToken).ConfigureAwait(false)
                    ?? throw new JobFailedException("A part's playlist went missing before the join");
                using var reader = new StreamReader(read.Content);
                playlists.Add(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
            }

            var joined = PlaylistJoin.Join(playlists);
            var dir = Directory.CreateDirectory(Path.Combine(whole.OutputDirectory, ray.Name)).FullName;
            await File.WriteAllTextAsync(Path.Combine(dir, HlsOutput.PlaylistName), joined, cancellationToken).ConfigureAwait(false);
            length = length == TimeSpan.Zero ? PlaylistJoin.Duration(joined) : length;
        }

        return length;
    }
}
