using System.Security.Cryptography;
using System.Text;

namespace CloudSlicer.Storage.Secrets;

/// <summary>
/// Seals secrets kept at rest for a while (an S3 source's credentials, until its job ends) with AES-256-GCM under
/// the key from <see cref="SecretKey"/>. A sealed value is <c>v1.</c> and base64 of key id (8 bytes), nonce (12),
/// tag (16) and ciphertext: the key id lets a process with another key say so instead of "damaged". Every process
/// that seals or opens must have the same key (<c>Secrets:Key</c>).
/// </summary>
public sealed class SecretBox(SecretKey key)
{
    private const string Version = "v1.";
    private const int KeyIdBytes = 8;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int Header = KeyIdBytes + NonceBytes + TagBytes;

    // Binds a sealed value to what it is for: it cannot be opened as anything else sealed under this key.
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("cloudslicer secret v1");

    public string Seal(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var (keyBytes, keyId) = key.Get();
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[Header + clear.Length];
        keyId.CopyTo(sealedBytes, 0);
        var nonce = sealedBytes.AsSpan(KeyIdBytes, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keyBytes, TagBytes);
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(Header), sealedBytes.AsSpan(KeyIdBytes + NonceBytes, TagBytes), Purpose);
        CryptographicOperations.ZeroMemory(clear);
        return Version + Convert.ToBase64String(sealedBytes);
    }

    /// <exception cref="SecretKeyMismatchException">It was sealed under another key.</exception>
    /// <exception cref="SecretDamagedException">It is not a sealed value, or it was altered.</exception>
    public string Open(string sealedText)
    {
        ArgumentNullException.ThrowIfNull(sealedText);
        byte[] sealedBytes;
        try
        {
            sealedBytes = sealedText.StartsWith(Version, StringComparison.Ordinal)
                ? Convert.FromBase64String(sealedText[Version.Length..])
                : throw new SecretDamagedException();
        }
        catch (FormatException ex)
        {
            throw new SecretDamagedException(ex);
        }

        if (sealedBytes.Length < Header)
        {
            throw new SecretDamagedException();
        }

        var (keyBytes, keyId) = key.Get();
        if (!sealedBytes.AsSpan(0, KeyIdBytes).SequenceEqual(keyId))
        {
            throw new SecretKeyMismatchException();
        }

        var clear = new byte[sealedBytes.Length - Header];
        try
        {
            using var aes = new AesGcm(keyBytes, TagBytes);
            aes.Decrypt(
                sealedBytes.AsSpan(KeyIdBytes, NonceBytes), sealedBytes.AsSpan(Header), sealedBytes.AsSpan(KeyIdBytes + NonceBytes, TagBytes), clear, Purpose);
            return Encoding.UTF8.GetString(clear);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new SecretDamagedException(ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }
}

/// <summary>A sealed secret came from a process with another <c>Secrets:Key</c>.</summary>
public sealed class SecretKeyMismatchException : CryptographicException
{
    public SecretKeyMismatchException()
        : base("The secret was sealed with another key")
    {
    }

    public SecretKeyMismatchException(string message)
        : base(message)
    {
    }

    public SecretKeyMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A sealed secret is not one, or failed its integrity check (altered at rest).</summary>
public sealed class SecretDamagedException : CryptographicException
{
    public SecretDamagedException()
        : base("The sealed secret is damaged")
    {
    }

    public SecretDamagedException(Exception innerException)
        : base("The sealed secret is damaged", innerException)
    {
    }

    public SecretDamagedException(string message)
        : base(message)
    {
    }

    public SecretDamagedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
