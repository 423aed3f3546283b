using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace CloudSlicer.Api.Api2;

/// <summary>
/// <c>sig = hex(HMAC-SHA256(api_key, msg))</c>, computed over the UTF-8 bytes of <c>msg</c> exactly as the
/// client sent it: Python 2 clients sign base64 text that contains line breaks, so the text is never normalised first.
/// </summary>
public static class Api2Signature
{
    private const int HashBytes = 32;
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The lowercase hex signature the Python helper would send for <paramref name="msg"/>.</summary>
    public static string Compute(string msg, string key)
    {
        ArgumentNullException.ThrowIfNull(msg);
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(msg)));
    }

    /// <summary>
    /// True when <paramref name="sig"/> (hex, either case) is the signature of <paramref name="msg"/> under
    /// <paramref name="key"/>. Malformed hex is simply false. The comparison is constant-time over the decoded
    /// bytes, so response timing does not reveal how many leading bytes of a forged signature were right.
    /// </summary>
    public static bool Matches(string msg, string sig, string key)
    {
        ArgumentNullException.ThrowIfNull(msg);
        ArgumentNullException.ThrowIfNull(key);
        if (sig is null || sig.Length != HashBytes * 2)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[HashBytes];
        if (Convert.FromHexString(sig, given, out _, out var written) != OperationStatus.Done || written != HashBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(msg), expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>True when <paramref name="sig"/> has the shape of a signature (64 hex digits); used only to word errors.</summary>
    internal static bool IsWellFormed(string sig) =>
        sig.Length == HashBytes * 2 && !sig.AsSpan().ContainsAnyExcept(HexDigits);
}
