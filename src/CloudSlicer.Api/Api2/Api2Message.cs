using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace CloudSlicer.Api.Api2;

/// <summary>
/// The api2 message codec: <c>msg = base64(zlib(json))</c>. Decoding is the first thing the server does with
/// untrusted bytes, so every step is capped and every refusal says which step failed and what to send instead.
/// </summary>
public static class Api2Message
{
    private const string Shape = "msg = base64(zlib(json))";

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        // Python clients build msg from a dict, so a repeated key is never legitimate; refusing it keeps
        // "which _owner wins" from ever being a question.
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// Decodes <paramref name="msg"/> into its JSON object. Base64 whitespace (Python 2 line breaks) is ignored;
    /// any zlib level is accepted; neither the text nor the inflated JSON may exceed <paramref name="maxBytes"/>.
    /// </summary>
    /// <exception cref="Api2Exception">The message is malformed or too large; the text is client-facing.</exception>
    public static JsonObject Decode(string msg, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(msg);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (msg.Length > maxBytes)
        {
            throw new Api2Exception($"msg is longer than {FormatSize(maxBytes)}; send fewer or smaller parameters");
        }

        var compressed = DecodeBase64(msg);
        var json = Inflate(compressed, maxBytes);
        return ParseObject(json);
    }

    /// <summary>"1 MiB" rather than "1048576 bytes" in client-facing limits.</summary>
    internal static string FormatSize(int bytes) => bytes switch
    {
        _ when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MiB",
        _ when bytes % 1024 == 0 => $"{bytes / 1024} KiB",
        _ => $"{bytes} bytes",
    };

    private static byte[] DecodeBase64(string msg)
    {
        // Convert's decoder skips space, tab, CR and LF anywhere, which covers Python 2's encodestring output.
        var bytes = new byte[(msg.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(msg, bytes, out var written))
        {
            throw new Api2Exception(
                $"msg is not valid base64 ({Shape}): use the standard alphabet (A-Z a-z 0-9 + /) with = padding, "
                + "and URL-encode msg so that '+' does not arrive as a space");
        }

        return written > 0
            ? bytes[..written]
            : throw new Api2Exception($"msg is empty; send {Shape} with the parameters, _owner and _timestamp");
    }

    private static ReadOnlyMemory<byte> Inflate(byte[] compressed, int maxBytes)
    {
        if (compressed is [0x1f, 0x8b, ..])
        {
            throw new Api2Exception($"msg is gzip data, not zlib ({Shape}); compress with zlib.compress, not gzip");
        }

        var notZlib = $"msg is not zlib-compressed data ({Shape}), or the data is corrupt; compress the JSON with zlib.compress";
        // The two-byte zlib header: deflate method, a valid check value, no preset dictionary (zlib.compress never
        // sets one). Raw deflate and random bytes fail here.
        if (compressed.Length < 6 || (compressed[0] & 0x0f) != 8 || ((compressed[0] << 8) | compressed[1]) % 31 != 0 || (compressed[1] & 0x20) != 0)
        {
            throw new Api2Exception(notZlib);
        }

        // The buffer grows by doubling but never beyond maxBytes + 1, so a zip bomb costs at most about twice
        // the cap in allocations and stops the moment it inflates one byte past the cap.
        var limit = maxBytes + 1;
        var buffer = new byte[Math.Min(limit, Math.Max(4096, compressed.Length * 4))];
        var length = 0;
        using (var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress))
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(limit, buffer.Length * 2L));
                }

                int read;
                try
                {
                    read = zlib.Read(buffer, length, buffer.Length - length);
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException)   // IOException: zlib's own error codes; the input is in memory
                {
                    throw new Api2Exception(notZlib, ex);
                }

                length += read;
                if (length > maxBytes)
                {
                    throw new Api2Exception($"msg inflates to more than {FormatSize(maxBytes)}; send fewer or smaller parameters");
                }

                if (read == 0)
                {
                    break;
                }
            }
        }

        // ZLibStream reports a stream cut short as a normal end of data; the Adler-32 trailer (the last four
        // bytes of an intact stream) tells a truncated msg apart from a complete one.
        if (BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(^4)) != Adler32(buffer.AsSpan(0, length)))
        {
            throw new Api2Exception($"msg's zlib data is truncated or followed by extra bytes ({Shape}); send exactly what zlib.compress returned");
        }

        return buffer.AsMemory(0, length);
    }

    private static JsonObject ParseObject(ReadOnlyMemory<byte> json)
    {
        // JsonDocument checks UTF-8 inside strings only when a string is read; checking here keeps a bad byte
        // from surfacing later, in some handler, as an internal error.
        if (!Utf8.IsValid(json.Span))
        {
            throw new Api2Exception($"msg does not inflate to valid UTF-8 JSON ({Shape}): it contains bytes that are not UTF-8; json.dumps with its default ensure_ascii=True avoids this");
        }

        JsonNode? node;
        try
        {
            RequireWholeSurrogatePairs(json.Span);
            node = JsonNode.Parse(json.Span, documentOptions: ParseOptions);
        }
        catch (JsonException ex)
        {
            throw new Api2Exception($"msg does not inflate to valid UTF-8 JSON ({Shape}): {ex.Message}", ex);
        }

        return node as JsonObject ?? throw new Api2Exception(
            $"msg is not a JSON object (it holds {Describe(node)}); send the parameters as one JSON object, e.g. {{\"id\": \"...\", \"_owner\": \"...\", \"_timestamp\": 1700000000}}");
    }

    /// <summary>
    /// JsonNode unescapes a string only when it is read, and half a surrogate pair (<c>"\ud800"</c>) then throws
    /// deep inside a handler; every escaped string and name is unescaped once here, so that surfaces as a refusal.
    /// </summary>
    private static void RequireWholeSurrogatePairs(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException ex)
                {
                    throw new Api2Exception(
                        $"msg holds a \\u escape that is half a surrogate pair (such as \\ud800 alone), which is not text ({Shape}); send the text json.dumps writes", ex);
                }
            }
        }
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        },
    };

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Modulus = 65521;
        const int Chunk = 5552;   // the most bytes that can be summed before b may overflow 32 bits (zlib's NMAX)
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(Chunk, data.Length)];
            foreach (var value in block)
            {
                a += value;
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[block.Length..];
        }

        return (b << 16) | a;
    }
}
