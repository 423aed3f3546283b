namespace CloudSlicer.Media.Captions;

/// <summary>How much TTML a job will read: a feature film's captions are a few hundred KB, well inside these.</summary>
public sealed record TtmlLimits
{
    public static readonly TtmlLimits Default = new();

    /// <summary>The document's size in bytes.</summary>
    public int MaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>How deep elements may nest (tt/body/div/p/span/span... is under 10 in real files).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Cues in one document (a 3-hour film has a few thousand).</summary>
    public int MaxCues { get; init; } = 200_000;
}
