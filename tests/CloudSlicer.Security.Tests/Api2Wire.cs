using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// Hand-built api2 fields for probes the well-behaved <c>Api2Client</c> cannot send: any JSON text (duplicate
/// keys, NaN, deep nesting), any compression (gzip, raw deflate, cut or padded zlib), any signature.
/// </summary>
internal static class Api2Wire
{
    public static long Now => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>A well-formed envelope around <paramref name="members"/> (JSON members without braces, or empty).</summary>
    public static string Json(string owner, string members = "", long? timestamp = null)
    {
        var stamp = (timestamp ?? Now).ToString(CultureInfo.InvariantCulture);
        var head = members.Length == 0 ? "" : members + ", ";
        return $"{{{head}\"_owner\": \"{owner}\", \"_timestamp\": {stamp}}}";
    }

    public static byte[] Zlib(string json) => Compress(Encoding.UTF8.GetBytes(json), s => new ZLibStream(s, CompressionLevel.SmallestSize, leaveOpen: true));

    public static byte[] Gzip(string json) => Compress(Encoding.UTF8.GetBytes(json), s => new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true));

    public static byte[] Deflate(string json) => Compress(Encoding.UTF8.GetBytes(json), s => new DeflateStream(s, CompressionLevel.SmallestSize, leaveOpen: true));

    /// <summary><paramref name="inflated"/> bytes of '0' inside a JSON string, compressed without ever holding them in memory.</summary>
    public static byte[] ZlibBomb(long inflated)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write("{\"pad\": \""u8);
            var chunk = Enumerable.Repeat((byte)'0', 1 << 20).ToArray();
            for (long written = 0; written < inflated; written += chunk.Length)
            {
                zlib.Write(chunk);
            }

            zlib.Write("\"}"u8);
        }

        return output.ToArray();
    }

    public static string Msg(byte[] compressed) => Convert.ToBase64String(compressed);

    public static string Sig(string msg, string key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(msg)));

    /// <summary>msg and sig as a form body, URL-encoded as Python's urlencode does.</summary>
    public static string Form(string msg, string sig) => $"msg={Uri.EscapeDataString(msg)}&sig={Uri.EscapeDataString(sig)}";

    private static byte[] Compress(byte[] data, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output))
        {
            stream.Write(data);
        }

        return output.ToArray();
    }
}
