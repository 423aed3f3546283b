using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Media;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// The asset's <c>poster.jpg</c>: the <c>poster_file</c> image, else the frame at <c>poster</c>, else a frame a
/// little way in (many sources open on black); fitted into <c>poster_size</c> when given.
/// </summary>
public sealed class PosterStep(FfmpegRunner ffmpeg)
{
    public const string FileName = "poster.jpg";

    /// <param name="posterFile">The <c>poster_file</c> image, already fetched and probed (<see cref="SettingImages"/>); null without one.</param>
    public async Task<string> MakeAsync(JobContext context, string output, Ray top, MediaSettings settings, TimeSpan duration, string? posterFile, CancellationToken cancellationToken)
    {
        var poster = Path.Combine(output, FileName);
        if (posterFile is { } image)
        {
            await ffmpeg.RunAsync(FfmpegCommands.PosterFromImage(image, poster, top.Height, settings.PosterSize), TimeSpan.Zero, null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A slice of the top ray starts on a key frame, so only the frames from it to the poster time are decoded.
            var at = settings.PosterAt is { } asked
                ? (asked < duration ? asked : duration - TimeSpan.FromMilliseconds(Math.Min(100, duration.TotalMilliseconds)))
                : TimeSpan.FromTicks(Math.Min(duration.Ticks / 2, TimeSpan.FromSeconds(5).Ticks));
            var index = (int)(at / Slices.SliceDuration);
            var sample = await HlsOutput.WriteSliceSampleAsync(output, top.Name, index, context.Work.File("poster-sample.mp4"), cancellationToken).ConfigureAwait(false);
            await ffmpeg.RunAsync(FfmpegCommands.Poster(sample, poster, at - (index * Slices.SliceDuration), top.Height, settings.PosterSize), TimeSpan.Zero, null, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(poster))
        {
            throw new JobFailedException("ffmpeg could not make the poster");
        }

        return FileName;
    }
}
