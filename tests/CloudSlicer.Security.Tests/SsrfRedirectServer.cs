using System.Net;
using System.Security.Cryptography.X509Certificates;
using CloudSlicer.Testing;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// For <see cref="SsrfRedirectTests"/>: the server under test with the guard on and 127.0.0.2 allow-listed,
/// trusting the hostile server's certificate (SSL_CERT_FILE), the hostile server on 127.0.0.2 (http and https),
/// and canaries on 127.0.0.1 and ::1 where the redirects point.
/// </summary>
public sealed class SsrfRedirectServer : IAsyncLifetime
{
    private readonly string _data = SourceJobs.NewDataDirectory();
    private HttpClient _http = null!;
    private X509Certificate2 _certificate = null!;   // Kestrel signs with its key for as long as the server runs

    public CloudSlicerProcess Server { get; private set; } = null!;

    public Api2Client Client { get; private set; } = null!;

    public SourceHostileServer Hostile { get; private set; } = null!;

    public CanaryListener Canary { get; private set; } = null!;

    public CanaryListener Canary6 { get; private set; } = null!;

    private string TrustFile => _data + ".pem";

    public async Task InitializeAsync()
    {
        Canary = CanaryListener.Start();
        Canary6 = CanaryListener.Start(IPAddress.IPv6Loopback);
        _certificate = SourceHostileServer.Certificate();
        await File.WriteAllTextAsync(TrustFile, _certificate.ExportCertificatePem());
        Hostile = await SourceHostileServer.StartAsync(_certificate);
        (Server, _http, Client) = await SourceJobs.StartAsync(_data, new Dictionary<string, string>
        {
            ["CLOUDSLICER_Sources__AllowedHosts__0"] = SourceHostileServer.Address.ToString(),
            ["SSL_CERT_FILE"] = TrustFile,
        });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
        await Hostile.DisposeAsync();
        _certificate.Dispose();
        await Canary.DisposeAsync();
        await Canary6.DisposeAsync();
        SourceJobs.DeleteDataDirectory(_data);
        File.Delete(TrustFile);
    }
}
