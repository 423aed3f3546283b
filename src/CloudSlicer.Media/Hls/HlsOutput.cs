using System.Globalization;

namespace CloudSlicer.Media.Hls;

/// <summary>
/// The files one rendition of a ladder encode is written as: <c>{dir}/{rendition}/index.m3u8</c>,
/// <c>init.mp4</c> and <c>seg_00000.m4s</c>… (CMAF: an init segment, then one fragment per slice).
/// </summary>
public static class HlsOutput
{
    public const string PlaylistName = "index.m3u8";
    public const string InitName = "init.mp4";

    /// <summary>The segment name pattern as ffmpeg's hls muxer takes it.</summary>
    public const string SegmentPattern = "seg_%05d.m4s";

    public static string SegmentName(int index) => string.Create(CultureInfo.InvariantCulture, $"seg_{index:D5}.m4s");

    /// <summary>
    /// Rewrites the media playlist of every one of <paramref name="renditions"/> under <paramref name="directory"/>
    /// in place, in one read and one write each, whatever edits <paramref name="rewrite"/> combines (cue marks,
    /// date ranges); a playlist it returns unchanged is not written again.
    /// </summary>
    public static async Task RewritePlaylistsAsync(
        string directory, IEnumerable<string> renditions, Func<string, string> rewrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(renditions);
        ArgumentNullException.ThrowIfNull(rewrite);
        foreach (var rendition in renditions)
        {
            var path = Path.Combine(directory, rendition, PlaylistName);
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            var rewritten = rewrite(text);
            if (!ReferenceEquals(rewritten, text))
            {
                await File.WriteAllTextAsync(path, rewritten, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes one slice as a playable MP4 (init segment + that fragment) to <paramref name="destination"/>:
    /// decoding its first frame costs one frame, where seeking in the source costs every frame since the
    /// source's previous key frame. Falls back to the last slice when <paramref name="index"/> is past the end.
    /// </summary>
    public static async Task<string> WriteSliceSampleAsync(string directory, string rendition, int index, string destination, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(directory, rendition);
        var segment = Enumerable.Range(0, index + 1).Reverse()
            .Select(i => Path.Combine(dir, SegmentName(i)))
            .FirstOrDefault(File.Exists)
            ?? throw new MediaException($"The '{rendition}' rendition has no slices; ffmpeg wrote no output");

        await using var output = File.Create(destination);
        foreach (var part in new[] { Path.Combine(dir, InitName), segment })
        {
            await using var input = File.OpenRead(part);
            await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }

        return destination;
    }

    /// <summary>
    /// Writes a whole rendition as one playable fragmented MP4 (init segment + every slice in order) to
    /// <paramref name="destination"/>: what the thumbnails are read from. Returns the number of slices.
    /// </summary>
    public static async Task<int> WriteRenditionAsync(string directory, string rendition, string destination, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(directory, rendition);
        var count = 0;
        while (File.Exists(Path.Combine(dir, SegmentName(count))))
        {
            count++;
        }

        if (count == 0)
        {
            throw new MediaException($"The '{rendition}' rendition has no slices; ffmpeg wrote no output");
        }

        await using var output = File.Create(destination);
        foreach (var part in Enumerable.Range(0, count).Select(i => Path.Combine(dir, SegmentName(i))).Prepend(Path.Combine(dir, InitName)))
        {
            await using var input = File.OpenRead(part);
            await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }

        return count;
    }
}
