namespace CloudSlicer.Media.Captions;

/// <summary>
/// A TTML document (or a caption setting) that cannot become WebVTT. The message says what was wrong and
/// where ("line 12: begin '00:00:xx' is not a TTML time expression"); it never carries a file path or a
/// parser's own text. Always permanent: the same bytes fail the same way.
/// </summary>
public sealed class CaptionException : MediaException
{
    public CaptionException()
    {
        Permanent = true;
    }

    public CaptionException(string message)
        : base(message)
    {
        Permanent = true;
    }

    public CaptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Permanent = true;
    }

    internal static CaptionException At(int line, string what) =>
        new(line > 0 ? $"line {line}: {what}" : what);

    /// <summary>A value from the document, short and printable, for quoting in a message.</summary>
    internal static string Quote(string value)
    {
        const int max = 40;
        var chars = value.Length > max ? value[..max] + "..." : value;
        return string.Create(chars.Length, chars, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) || char.IsSurrogate(s[i]) ? '?' : s[i];
            }
        });
    }
}
