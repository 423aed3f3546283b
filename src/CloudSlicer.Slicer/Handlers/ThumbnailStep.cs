using System.Globalization;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// <c>thumbnails</c>: a JPEG per slice at each size, taken from the top ray (so they show fades, bugs and the
/// forced aspect as played), stored as <c>thumbs/{prefix}/{n:00000}.jpg</c> under the asset.
/// </summary>
public sealed class ThumbnailStep(FfmpegRunner ffmpeg)
{
    public const string Directory = "thumbs";

    public async Task<IReadOnlyList<ThumbnailSet>> MakeAsync(JobContext context, string output, Ray top, IReadOnlyList<ThumbnailSpec> sizes, CancellationToken cancellationToken)
    {
        if (sizes.Count == 0)
        {
            return [];
        }

        var rendition = context.Work.File("thumbnail-source.mp4");
        var slices = await HlsOutput.WriteRenditionAsync(output, top.Name, rendition, cancellationToken).ConfigureAwait(false);
        var root = Path.Combine(output, Directory);
        foreach (var size in sizes)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(root, size.Prefix));
        }

        await ffmpeg.RunAsync(FfmpegCommands.Thumbnails(rendition, root, sizes), TimeSpan.Zero, null, cancellationToken).ConfigureAwait(false);
        return sizes.Select(s =>
        {
            // One per slice from slice 0; the count stops at the first missing file, so every listed one exists.
            var set = new ThumbnailSet($"{Directory}/{s.Prefix}/", s.Width, s.Height, 0);
            var count = Enumerable.Range(0, slices).TakeWhile(n => File.Exists(Path.Combine(output, set.File(n)))).Count();
            return set with { Count = count };
        }).ToList();
    }
}
