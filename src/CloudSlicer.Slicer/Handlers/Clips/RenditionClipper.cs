using CloudSlicer.Core.Assets;
using CloudSlicer.Media;
using CloudSlicer.Media.Clips;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Slicer.Handlers.Clips;

/// <summary>
/// Clips one rendition of the source asset into the new asset: its init segment and every slice wholly inside the
/// window are copied blob to blob as they are (same bytes, same timestamps); only the slices the window cuts are
/// made again, in <paramref name="output"/>, with the rendition's playlist. Video edges are re-encoded from the
/// slice's key frame; audio edges keep whole frames of the source slice; caption edges keep the cues shown.
/// </summary>
internal sealed class RenditionClipper(
    IBlobStore blobs, FfmpegRunner ffmpeg, MediaOptions media, AssetManifest source, string clip, ClipWindow window, WorkDirectory work, string output)
{
    private readonly AssetFiles _files = new(blobs, source);

    /// <summary>A slice this close outside the window is still examined: audio slices start an AAC frame before the grid.</summary>
    private const double Margin = 0.05;

    public Task<int> VideoAsync(Ray ray, CancellationToken cancellationToken) =>
        MediaAsync(ray.Name, ray, cancellationToken);

    public Task<int> AudioAsync(Rendition rendition, CancellationToken cancellationToken) =>
        MediaAsync(DirectoryOf(rendition), ray: null, cancellationToken);

    public async Task<int> SubtitlesAsync(Rendition rendition, CancellationToken cancellationToken)
    {
        var dir = DirectoryOf(rendition);
        var playlist = MediaPlaylist.Parse(await ReadTextAsync($"{dir}/{HlsOutput.PlaylistName}", cancellationToken).ConfigureAwait(false));
        var kept = new List<PlaylistSegment>();
        foreach (var segment in playlist.Segments.Where(s => s.End > window.Start && s.Start < window.End))
        {
            if (segment.Start >= window.Start && segment.End <= window.End)
            {
                await CopyAsync($"{dir}/{segment.Uri}", cancellationToken).ConfigureAwait(false);
                kept.Add(segment);
                continue;
            }

            var text = System.Text.Encoding.UTF8.GetString(await ReadAsync($"{dir}/{segment.Uri}", cancellationToken).ConfigureAwait(false));
            await WriteAsync($"{dir}/{segment.Uri}", System.Text.Encoding.UTF8.GetBytes(WebVttCut.Cut(text, window.SelectStartMs, window.SelectEndMs)), cancellationToken).ConfigureAwait(false);
            var start = Math.Max(segment.Start, window.Start);
            kept.Add(segment with { Start = start, Duration = Math.Min(segment.End, window.End) - start });
        }

        await WritePlaylistAsync(dir, playlist, kept, cancellationToken).ConfigureAwait(false);
        return kept.Count;
    }

    /// <summary>A ray (<paramref name="ray"/> given) or an audio rendition; returns how many slices the clip has.</summary>
    private async Task<int> MediaAsync(string dir, Ray? ray, CancellationToken cancellationToken)
    {
        var playlist = MediaPlaylist.Parse(await ReadTextAsync($"{dir}/{HlsOutput.PlaylistName}", cancellationToken).ConfigureAwait(false));
        var initBytes = await ReadAsync($"{dir}/{HlsOutput.InitName}", cancellationToken).ConfigureAwait(false);
        var init = CmafInit.Parse(initBytes);
        await CopyAsync($"{dir}/{HlsOutput.InitName}", cancellationToken).ConfigureAwait(false);

        var near = playlist.Segments.Where(s => s.End > window.Start - Margin && s.Start < window.End + Margin).ToList();
        var kept = new List<PlaylistSegment>();
        for (var i = 0; i < near.Count; i++)
        {
            var segment = near[i];
            var key = $"{dir}/{segment.Uri}";

            // Only the two slices at each end can be cut; every one between them is inside the window.
            if (i >= 2 && i < near.Count - 2)
            {
                await CopyAsync(key, cancellationToken).ConfigureAwait(false);
                kept.Add(segment);
                continue;
            }

            var bytes = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
            var fragment = CmafFragment.Parse(bytes);
            var cut = SliceCut.Select(fragment, init, window.SelectStartMs, window.SelectEndMs, byMidpoint: ray is null);
            if (cut.IsEmpty)
            {
                continue;
            }

            if (cut.IsWhole)
            {
                await CopyAsync(key, cancellationToken).ConfigureAwait(false);
                kept.Add(segment);
                continue;
            }

            var edge = ray is null
                ? cut.CopySamples(fragment)
                : await ReencodeAsync(ray, dir, segment, initBytes, init, bytes, fragment, cut, cancellationToken).ConfigureAwait(false);
            await WriteAsync(key, edge.ToBytes(), cancellationToken).ConfigureAwait(false);
            kept.Add(segment with { Duration = edge.TotalDuration / (double)init.Timescale });
        }

        if (kept.Count == 0)
        {
            throw new JobFailedException($"The clip has no media of rendition '{dir}'; choose a longer range");
        }

        await WritePlaylistAsync(dir, playlist, kept, cancellationToken).ConfigureAwait(false);
        return kept.Count;
    }

    private async Task<CmafFragment> ReencodeAsync(
        Ray ray, string dir, PlaylistSegment segment, byte[] initBytes, CmafInit init, byte[] sliceBytes, CmafFragment slice, SliceCut cut, CancellationToken cancellationToken)
    {
        var name = $"edge-{dir}-{Path.GetFileNameWithoutExtension(segment.Uri)}";
        var input = work.File(name + ".mp4");
        await using (var file = File.Create(input))
        {
            await file.WriteAsync(initBytes, cancellationToken).ConfigureAwait(false);
            await file.WriteAsync(sliceBytes, cancellationToken).ConfigureAwait(false);
        }

        var encodedPath = work.File(name + "-cut.mp4");
        var duration = TimeSpan.FromSeconds(cut.Count / ray.FrameRate);
        await ffmpeg.RunAsync(
            FfmpegCommands.ClipEdge(input, encodedPath, ray, media.X264Preset, init.Timescale, cut.First, cut.Count),
            duration, null, cancellationToken).ConfigureAwait(false);
        var encodedBytes = await File.ReadAllBytesAsync(encodedPath, cancellationToken).ConfigureAwait(false);
        var encodedInit = CmafInit.Parse(encodedBytes);
        if (encodedInit.Timescale != init.Timescale
            || !(encodedInit.DecoderConfig ?? []).AsSpan().SequenceEqual(init.DecoderConfig ?? []))
        {
            // The edge plays with the ray's init segment: a different SPS/PPS would be decoded wrongly, so fail loudly.
            throw new JobFailedException($"A re-encoded edge of ray '{ray.Name}' does not match the ray's encoder settings; the asset was probably sliced with other media settings, so it cannot be clipped quickly");
        }

        return cut.Place(slice, CmafFragment.Parse(encodedBytes));
    }

    private async Task WritePlaylistAsync(string dir, MediaPlaylist source, IReadOnlyList<PlaylistSegment> kept, CancellationToken cancellationToken) =>
        await WriteAsync($"{dir}/{HlsOutput.PlaylistName}", System.Text.Encoding.UTF8.GetBytes(source.Write(kept)), cancellationToken).ConfigureAwait(false);

    private async Task WriteAsync(string relative, byte[] content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(output, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A reused file: copied in the blob store under the clip's version 1, never through this disk.</summary>
    private Task CopyAsync(string relative, CancellationToken cancellationToken) =>
        blobs.CopyAsync(AssetLayout.File(source, relative), AssetLayout.File(clip, 1, relative), cancellationToken);

    private Task<string> ReadTextAsync(string relative, CancellationToken cancellationToken) => _files.ReadTextAsync(relative, cancellationToken);

    private Task<byte[]> ReadAsync(string relative, CancellationToken cancellationToken) => _files.ReadBytesAsync(relative, cancellationToken);

    private static string DirectoryOf(Rendition rendition)
    {
        var slash = rendition.Path.LastIndexOf('/');
        return slash > 0 ? rendition.Path[..slash] : throw new JobFailedException($"Rendition '{rendition.Name}' has no directory of its own; it cannot be clipped");
    }
}
