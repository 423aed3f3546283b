using CloudSlicer.Media;
using CloudSlicer.Media.Probe;
using CloudSlicer.Slicer.Sources;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// Fetches the images settings name (<c>poster_file</c>, <c>bug</c>) through the source fetcher's SSRF guard
/// into the work directory, and lets only a real still image through.
/// </summary>
public sealed class SettingImages(SourceFetcher fetcher, FfprobeRunner ffprobe)
{
    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="path"/> (a name without extension, so only the
    /// image pipes' content sniffing can claim it) and probes it. Failures name <paramref name="setting"/>.
    /// </summary>
    public async Task<string> FetchAsync(string setting, Uri url, string path, CancellationToken cancellationToken)
    {
        try
        {
            await fetcher.DownloadAsync(url, path, null, cancellationToken).ConfigureAwait(false);
        }
        catch (SourceException ex)
        {
            throw new JobFailedException($"{setting}: the image could not be fetched: {ex.Message}", ex) { Permanent = ex.Permanent };
        }

        try
        {
            await ffprobe.ProbeImageAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException ex)
        {
            throw new JobFailedException($"{setting}: the file fetched is not a PNG, JPEG, WebP or BMP image; give the URL of one", ex) { Permanent = true };
        }

        return path;
    }
}
