using System.Xml;

namespace CloudSlicer.Media.Captions;

/// <summary>The language a TTML document declares on its root (<c>&lt;tt xml:lang="fr"&gt;</c>).</summary>
public static class TtmlLanguage
{
    /// <summary>
    /// The root's <c>xml:lang</c> when it is a plain language tag (letters, digits and '-', at most 35), else null.
    /// Read with the parser's own safety settings (no DTD, no resolver); only the root element is looked at.
    /// </summary>
    public static string? Read(byte[] ttml)
    {
        ArgumentNullException.ThrowIfNull(ttml);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(ttml, writable: false), settings);
            if (reader.MoveToContent() != XmlNodeType.Element)
            {
                return null;
            }

            var lang = reader.GetAttribute("lang", "http://www.w3.org/XML/1998/namespace")?.Trim();
            return lang is { Length: > 0 and <= 35 } && lang.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? lang : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
