using System.Globalization;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>The thumbnails of one size: <see cref="Files"/> are relative to the asset, one per slice, in order.</summary>
public sealed record ThumbnailSet(string Prefix, int Width, int Height, IReadOnlyList<string> Files);

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
        return sizes.Select(s => new ThumbnailSet(
            s.Prefix, s.Width, s.Height,
            Enumerable.Range(0, slices)
                .Select(n => string.Create(CultureInfo.InvariantCulture, $"{Directory}/{s.Prefix}/{n:D5}.jpg"))
                .Where(f => File.Exists(Path.Combine(output, f)))
                .ToList())).ToList();
    }
}
