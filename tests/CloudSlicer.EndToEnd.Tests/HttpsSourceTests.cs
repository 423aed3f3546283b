using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// An https source on loopback, with a certificate the server trusts through SSL_CERT_FILE (OpenSSL's
/// trust-store override, which .NET honours on Linux): what a customer's CDN or bucket looks like.
/// </summary>
public sealed class HttpsSourceTests(Sources sources) : IClassFixture<Sources>
{
    [Fact]
    public async Task An_https_source_is_sliced_and_an_untrusted_certificate_is_a_clear_error()
    {
        using var data = new TempDirectory();
        using var certificate = SelfSigned();
        var pem = Path.Combine(data.Path, "trusted.pem");
        Directory.CreateDirectory(data.Path);
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
        await using var https = await LoopbackFileServer.StartAsync(sources.Directory, certificate);

        await using var trusting = await ServerProcess.StartAsync(Path.Combine(data.Path, "a"), new Dictionary<string, string> { ["SSL_CERT_FILE"] = pem });
        using var http = new HttpClient { BaseAddress = new Uri(trusting.Url) };
        var client = new Api2Client(http, trusting.Owner!, trusting.Secret!);
        var (done, _) = await client.WaitFinishedAsync(await client.CreateAsync(https.UrlOf("clip.mp4"), new { trim = "0,3000" }), TimeSpan.FromMinutes(2));
        Assert.Equal("done", done["state"]!.GetValue<string>());

        await using var untrusting = await ServerProcess.StartAsync(Path.Combine(data.Path, "b"));
        using var http2 = new HttpClient { BaseAddress = new Uri(untrusting.Url) };
        var client2 = new Api2Client(http2, untrusting.Owner!, untrusting.Secret!);
        var (failed, _) = await client2.WaitFinishedAsync(await client2.CreateAsync(https.UrlOf("clip.mp4")), TimeSpan.FromMinutes(2));
        Assert.Equal("error", failed["state"]!.GetValue<string>());
        Assert.Contains("certificate", failed["last_error"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
