using System.Security.Cryptography;
using System.Text;

namespace CloudSlicer.Storage.Secrets;

/// <summary>
/// The 256-bit key of <see cref="SecretBox"/>: <c>Secrets:Key</c> (base64) when configured, which a deployment of
/// several machines must set the same everywhere; otherwise the one-box default, a key generated on first use into
/// <c>secrets.key</c> (0600) in the data directory, which every process sharing that directory reads.
/// </summary>
public sealed class SecretKey
{
    public const string FileName = "secrets.key";
    public const int Bytes = 32;

    private readonly Lazy<(byte[] Key, byte[] Id)> _key;

    private SecretKey(Func<byte[]> load) => _key = new(() => WithId(load()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The configured key (base64 of 32 bytes).</summary>
    /// <exception cref="FormatException">It is not base64 of 32 bytes.</exception>
    public static SecretKey FromBase64(string base64)
    {
        var key = Decode(base64) ?? throw new FormatException(InvalidKeyMessage);
        return new SecretKey(() => key);
    }

    /// <summary>The key in <c>secrets.key</c> under <paramref name="dataDirectory"/>, made there when first needed.</summary>
    public static SecretKey InDataDirectory(string dataDirectory) =>
        new(() => LoadOrCreate(Path.Combine(dataDirectory, FileName)));

    public const string InvalidKeyMessage =
        "Secrets:Key must be a 256-bit key in base64 (44 characters, for example the output of 'openssl rand -base64 32')";

    internal (byte[] Key, byte[] Id) Get() => _key.Value;

    internal static byte[]? Decode(string base64)
    {
        try
        {
            var key = Convert.FromBase64String(base64.Trim());
            return key.Length == Bytes ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static (byte[] Key, byte[] Id) WithId(byte[] key)
    {
        var id = SHA256.HashData([.. Encoding.UTF8.GetBytes("cloudslicer secrets key id\n"), .. key]).AsSpan(0, 8).ToArray();
        return (key, id);
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }

        // Written whole to a private temporary file and then linked into place without replacing: two processes
        // starting together agree on whichever key landed first.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var key = RandomNumberGenerator.GetBytes(Bytes);
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(temporary, create))
            {
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Read(path);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static byte[] Read(string path) =>
        Decode(File.ReadAllText(path))
        ?? throw new InvalidOperationException($"The secrets key file ({FileName} in the data directory) is not a 256-bit key in base64; restore it, or set Secrets:Key");
}
