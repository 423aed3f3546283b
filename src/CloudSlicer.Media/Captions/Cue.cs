namespace CloudSlicer.Media.Captions;

/// <summary>
/// One caption on the asset's timeline: shown from <see cref="Start"/> up to (not including) <see cref="End"/>.
/// <see cref="Lines"/> are plain text (no markup, never empty, no line breaks inside); the WebVTT writer escapes them.
/// An <see cref="End"/> of <see cref="Indefinite"/> means the TTML gave no end: it lasts to the end of the asset.
/// </summary>
public sealed record Cue(TimeSpan Start, TimeSpan End, IReadOnlyList<string> Lines)
{
    public static readonly TimeSpan Indefinite = TimeSpan.MaxValue;

    public string Text => string.Join('\n', Lines);
}
