using System.Buffers.Text;
using System.Security.Cryptography;

namespace CloudSlicer.Storage.Owners;

/// <summary>New API key secrets, the same for every store.</summary>
internal static class ApiKeySecrets
{
    // 30 random bytes are exactly 40 base64url characters (no padding): the length of the hosted
    // service's keys, and safe in URLs, shells and config files.
    private const int SecretBytes = 30;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
}
