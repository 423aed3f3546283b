namespace CloudSlicer.Media.Captions;

/// <summary>A subtitle rendition: its media playlist (index.m3u8) and one .vtt per slice.</summary>
public sealed record WebVttTrack(string Playlist, IReadOnlyList<WebVttSegment> Segments)
{
    public const string PlaylistName = "index.m3u8";

    /// <summary>Writes index.m3u8 and the segments into <paramref name="directory"/> (created if missing).</summary>
    public async Task WriteToAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        foreach (var segment in Segments)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, segment.FileName), segment.Text, cancellationToken).ConfigureAwait(false);
        }

        // The playlist last: a reader that finds it finds every segment it lists.
        await File.WriteAllTextAsync(Path.Combine(directory, PlaylistName), Playlist, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Slice <see cref="Index"/>'s captions: every cue that shows during [Start, Start + Duration).</summary>
public sealed record WebVttSegment(int Index, string FileName, TimeSpan Start, TimeSpan Duration, string Text);
