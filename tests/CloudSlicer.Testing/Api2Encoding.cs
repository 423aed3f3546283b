using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudSlicer.Testing;

/// <summary>
/// The client side of the api2 message codec, for tests and benchmarks only (the server only decodes). It
/// shares no code with the server's <c>Api2Message</c>, so a round trip through both checks the protocol.
/// </summary>
public static class Api2Encoding
{
    private const int Base64LineLength = 76;   // Python 2 base64.encodestring

    /// <summary>
    /// <c>msg</c> for <paramref name="payload"/> as the Python helper builds it: <c>json.dumps</c> spacing and
    /// ASCII escapes, zlib at <paramref name="compressionLevel"/>, standard base64; with
    /// <paramref name="python2LineBreaks"/>, base64 as Python 2's <c>encodestring</c> (a newline every 76
    /// characters and at the end). Sign the result exactly as returned.
    /// </summary>
    public static string Encode(JsonObject payload, int compressionLevel = 9, bool python2LineBreaks = false)
    {
        var json = new StringBuilder();
        WriteJson(json, payload);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, new ZLibCompressionOptions { CompressionLevel = compressionLevel }, leaveOpen: true))
        {
            zlib.Write(Encoding.UTF8.GetBytes(json.ToString()));
        }

        var base64 = Convert.ToBase64String(compressed.ToArray());
        if (!python2LineBreaks)
        {
            return base64;
        }

        var lines = new StringBuilder();
        for (var i = 0; i < base64.Length; i += Base64LineLength)
        {
            lines.Append(base64.AsSpan(i, Math.Min(Base64LineLength, base64.Length - i))).Append('\n');
        }

        return lines.ToString();
    }

    // json.dumps defaults: ", " and ": " separators, ensure_ascii (every character outside ' '..'~' as \uXXXX).
    private static void WriteJson(StringBuilder json, JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            json.Append('{');
            json.AppendJoin(", ", obj.Select(p => Fragment(sb => { WriteString(sb, p.Key); sb.Append(": "); WriteJson(sb, p.Value); })));
            json.Append('}');
        }
        else if (node is JsonArray array)
        {
            json.Append('[');
            json.AppendJoin(", ", array.Select(item => Fragment(sb => WriteJson(sb, item))));
            json.Append(']');
        }
        else if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            WriteString(json, value.Deserialize<string>()!);
        }
        else
        {
            json.Append(node?.ToJsonString() ?? "null");
        }
    }

    private static string Fragment(Action<StringBuilder> write)
    {
        var sb = new StringBuilder();
        write(sb);
        return sb.ToString();
    }

    private static void WriteString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (var c in text)
        {
            var escaped = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                >= ' ' and <= '~' => null,
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            };
            _ = escaped is null ? json.Append(c) : json.Append(escaped);
        }

        json.Append('"');
    }
}
