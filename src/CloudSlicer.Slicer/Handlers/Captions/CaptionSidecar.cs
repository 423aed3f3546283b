using CloudSlicer.Core.Assets;
using CloudSlicer.Media;
using CloudSlicer.Media.Captions;
using CloudSlicer.Slicer.Sources;

namespace CloudSlicer.Slicer.Handlers.Captions;

/// <summary>
/// A <c>&lt;url&gt;.ttml</c> sidecar next to a <c>/jobs/create</c> source: the new asset's caption track 0, in the
/// document's <c>xml:lang</c> (English when it names none). Read before the encode so a broken file fails the job
/// before the long part; absent (or unreachable), it is simply not there, as a <c>.cfg</c> sidecar.
/// </summary>
public sealed class CaptionSidecar
{
    public const string Suffix = ".ttml";

    /// <summary>The first track's directory, as <c>add_track_vtt</c> would name it on an asset without captions.</summary>
    public const string TrackName = "sub0";

    private readonly IReadOnlyList<Cue> _cues;
    private readonly string _lang;

    private CaptionSidecar(IReadOnlyList<Cue> cues, string lang)
    {
        _cues = cues;
        _lang = lang;
    }

    /// <returns>The parsed sidecar, or null when the source has none.</returns>
    public static async Task<CaptionSidecar?> TryReadAsync(SourceFetcher fetcher, Uri source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        var text = await fetcher.TryFetchTextAsync(SidecarArgs.SidecarUrl(source, Suffix), TtmlLimits.Default.MaxBytes, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return null;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        try
        {
            return new CaptionSidecar(TtmlParser.Parse(bytes), TtmlLanguage.Read(bytes) ?? "en");
        }
        catch (CaptionException ex)
        {
            throw new JobFailedException($"The .ttml sidecar next to the source cannot be used: {ex.Message}; fix it or remove it", ex) { Permanent = true };
        }
    }

    /// <summary>Writes the WebVTT track into <paramref name="output"/> on the asset's grid; returns its rendition.</summary>
    public async Task<Rendition> WriteAsync(string output, TimeSpan duration, CancellationToken cancellationToken)
    {
        var track = WebVttWriter.Write(_cues, duration, new WebVttOptions { SliceDuration = Slices.SliceDuration });
        await track.WriteToAsync(Path.Combine(output, TrackName), cancellationToken).ConfigureAwait(false);
        return new Rendition(Rendition.Subtitles, TrackName, _lang, $"{TrackName}/{WebVttTrack.PlaylistName}");
    }
}
