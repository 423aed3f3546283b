using System.Xml;

namespace CloudSlicer.Media.Captions;

/// <summary>
/// Reads TTML (TTML1/2, DFXP, the IMSC1 text profile) into cues on the document's media timeline.
/// Hostile input is expected: no DTD (so no entity expansion and no external entities), no resolver,
/// bounded size, depth and cue count; every failure is a <see cref="CaptionException"/> that names the line.
/// </summary>
public static class TtmlParser
{
    /// <summary>Reads at most <see cref="TtmlLimits.MaxBytes"/> from <paramref name="ttml"/> and parses it.</summary>
    public static async Task<IReadOnlyList<Cue>> ParseAsync(Stream ttml, TtmlLimits? limits = null, CancellationToken cancellationToken = default)
    {
        limits ??= TtmlLimits.Default;
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await ttml.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limits.MaxBytes)
            {
                throw TooLarge(limits);
            }

            buffer.Write(chunk, 0, read);
        }

        return Parse(buffer.ToArray(), limits);
    }

    /// <summary>Parses a whole TTML document (ttml_data after base64 decoding, or a fetched ttml_url).</summary>
    public static IReadOnlyList<Cue> Parse(byte[] ttml, TtmlLimits? limits = null)
    {
        limits ??= TtmlLimits.Default;
        if (ttml.Length > limits.MaxBytes)
        {
            throw TooLarge(limits);
        }

        if (ttml.AsSpan().Trim((byte)' ').IsEmpty)
        {
            throw new CaptionException("the TTML document is empty");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = limits.MaxBytes,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        };

        try
        {
            using var reader = XmlReader.Create(new MemoryStream(ttml, writable: false), settings);
            return new TtmlWalk(reader, limits).Run();
        }
        catch (XmlException ex)
        {
            throw NotWellFormed(ex, ttml);
        }
    }

    private static CaptionException TooLarge(TtmlLimits limits) =>
        new($"the TTML document is larger than {limits.MaxBytes / (1024 * 1024)} MiB; captions are far smaller, so this is not a caption file");

    /// <summary>Our own words for the parser's complaint: its text may name internals and is not written for a job's last_error.</summary>
    private static CaptionException NotWellFormed(XmlException ex, byte[] ttml)
    {
        var message = ex.Message;
        if (message.Contains("DTD", StringComparison.Ordinal))
        {
            // The refusal carries no position; the DOCTYPE's own line is what the author needs.
            var at = ttml.AsSpan().IndexOf("<!DOCTYPE"u8);
            var line = at < 0 ? 0 : ttml.AsSpan(0, at).Count((byte)'\n') + 1;
            return new CaptionException(
                (line > 0 ? $"line {line}: " : "") + "the document has a DTD (<!DOCTYPE ...>); TTML needs none and it is not allowed here, remove it", ex);
        }

        var what =
            message.Contains("encoding", StringComparison.OrdinalIgnoreCase) ? "the document is not valid text in its encoding (UTF-8 unless its XML declaration names another)"
            : message.Contains("entity", StringComparison.OrdinalIgnoreCase) ? "the document refers to an entity that is not defined; only &amp; &lt; &gt; &quot; &apos; and character references are allowed"
            : message.Contains("Root element is missing", StringComparison.Ordinal) ? "the document has no root element; it is not TTML"
            : message.Contains("root level", StringComparison.Ordinal) && ex.LineNumber <= 1 && ex.LinePosition <= 1 ? "the document is not XML; TTML starts with <?xml ...?> or <tt ...>"
            : message.Contains("MaxCharacters", StringComparison.Ordinal) ? "the document is too large"
            : "the document is not well-formed XML";
        return new CaptionException(ex.LineNumber > 0 ? $"line {ex.LineNumber}, column {ex.LinePosition}: {what}" : what, ex);
    }
}
