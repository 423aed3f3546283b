using System.Security.Cryptography;
using CloudSlicer.Storage.Secrets;

namespace CloudSlicer.Slicer.Tests.Sources;

/// <summary>The sealing of an S3 source's credentials at rest (AES-256-GCM under Secrets:Key or the generated key file).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class S3SourceSecretBoxTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static SecretBox NewBox() => new(SecretKey.FromBase64(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    [Fact]
    public void A_sealed_secret_opens_to_what_was_sealed_and_does_not_contain_it()
    {
        var box = NewBox();
        const string Secret = """{"api_key":"AKIAEXAMPLE","api_secret":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}""";

        var sealedText = box.Seal(Secret);

        Assert.StartsWith("v1.", sealedText, StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMI", sealedText, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAEXAMPLE", sealedText, StringComparison.Ordinal);
        Assert.NotEqual(sealedText, box.Seal(Secret));   // a fresh nonce each time
        Assert.Equal(Secret, box.Open(sealedText));
    }

    [Fact]
    public void A_box_with_another_key_says_so_rather_than_opening()
    {
        var sealedText = NewBox().Seal("secret");

        Assert.Throws<SecretKeyMismatchException>(() => NewBox().Open(sealedText));
    }

    [Fact]
    public void Any_altered_byte_is_detected()
    {
        var box = NewBox();
        var sealedText = box.Seal("a secret worth keeping");
        var bytes = Convert.FromBase64String(sealedText[3..]);

        // Past the key id: every byte of nonce, tag and ciphertext is covered by the tag.
        for (var i = 8; i < bytes.Length; i++)
        {
            var altered = (byte[])bytes.Clone();
            altered[i] ^= 0x01;
            Assert.Throws<SecretDamagedException>(() => box.Open("v1." + Convert.ToBase64String(altered)));
        }

        Assert.Throws<SecretDamagedException>(() => box.Open("v1." + Convert.ToBase64String(bytes[..20])));
        Assert.Throws<SecretDamagedException>(() => box.Open("not sealed"));
        Assert.Throws<SecretDamagedException>(() => box.Open("v1.!!!"));
    }

    [Fact]
    public void Without_a_configured_key_one_is_generated_into_a_private_file_and_shared_by_every_box_on_that_directory()
    {
        var first = new SecretBox(SecretKey.InDataDirectory(_temp.Path));
        Assert.False(File.Exists(_temp.File(SecretKey.FileName)));   // made on first use, not before

        var sealedText = first.Seal("secret");

        var file = _temp.File(SecretKey.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(file)).Length);
        Assert.Equal("secret", new SecretBox(SecretKey.InDataDirectory(_temp.Path)).Open(sealedText));
        Assert.Equal("secret", new SecretBox(SecretKey.FromBase64(File.ReadAllText(file))).Open(sealedText));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("c2hvcnQ=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_configured_key_that_is_not_256_bits_of_base64_is_refused(string key)
    {
        var error = Assert.Throws<FormatException>(() => SecretKey.FromBase64(key));
        Assert.Contains("Secrets:Key", error.Message, StringComparison.Ordinal);
    }
}
