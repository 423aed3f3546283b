using System.Security.Cryptography;
using System.Text;

namespace CloudSlicer.Storage.Owners;

/// <summary>
/// Names an API key without revealing it: the first 16 hex digits of its SHA-256. Operators list and disable
/// keys by fingerprint, so a secret never has to appear on a command line (where <c>ps</c> and shell
/// history would keep it).
/// </summary>
public static class KeyFingerprint
{
    public const int Length = 16;

    /// <summary>The shortest prefix accepted when matching: 8 hex digits are 32 bits, ample among one owner's keys.</summary>
    public const int MinimumPrefix = 8;

    public static string Of(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..Length];

    /// <summary>Whether <paramref name="text"/> (any case, optionally "sha256:"-prefixed) is a usable fingerprint prefix.</summary>
    public static bool TryNormalize(string text, out string prefix)
    {
        prefix = text.Trim().ToLowerInvariant();
        if (prefix.StartsWith("sha256:", StringComparison.Ordinal))
        {
            prefix = prefix["sha256:".Length..];
        }

        return prefix.Length is >= MinimumPrefix and <= Length && prefix.All(char.IsAsciiHexDigitLower);
    }
}
