using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// A source server that misbehaves, on 127.0.0.2 (Linux routes all of 127/8 to loopback): the server under
/// test allow-lists that one address, so a first hop reaches it while every other non-public address stays
/// refused. It redirects anywhere, loops, lies about lengths, stalls and trickles; over http, and over https
/// too when given a certificate.
/// </summary>
public sealed class SourceHostileServer : IAsyncDisposable
{
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.2");

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    private SourceHostileServer(WebApplication app) => _app = app;

    public int HttpPort { get; private set; }

    /// <summary>The https port, or 0 when started without a certificate.</summary>
    public int HttpsPort { get; private set; }

    public static async Task<SourceHostileServer> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(Address, 0);
            if (certificate is not null)
            {
                kestrel.Listen(Address, 0, listen => listen.UseHttps(certificate));
            }
        });

        var app = builder.Build();
        var server = new SourceHostileServer(app);
        app.Run(server.ServeAsync);
        await app.StartAsync();
        foreach (var bound in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)))
        {
            if (bound.Scheme == Uri.UriSchemeHttps)
            {
                server.HttpsPort = bound.Port;
            }
            else
            {
                server.HttpPort = bound.Port;
            }
        }

        return server;
    }

    /// <summary>A certificate for https://127.0.0.2, valid for a day.</summary>
    public static X509Certificate2 Certificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.2", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(Address);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public string HttpUrl(string pathAndQuery) => $"http://{Address}:{HttpPort}{pathAndQuery}";

    public string HttpsUrl(string pathAndQuery) => $"https://{Address}:{HttpsPort}{pathAndQuery}";

    /// <summary><c>/redirect?to=…</c> on http: a first hop the guard allows, pointing at <paramref name="target"/>.</summary>
    public string RedirectTo(string target) => HttpUrl($"/redirect?to={Uri.EscapeDataString(target)}");

    /// <summary>Requests that reached <paramref name="path"/>, over either scheme.</summary>
    public int RequestsFor(string path) => _requests.GetValueOrDefault(path);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        var response = context.Response;

        // The slicer asks for "<path>.cfg" first; "/redirect.cfg" redirects too, so the sidecar fetch is probed as well.
        if (path.StartsWith("/redirect", StringComparison.Ordinal))
        {
            response.Redirect(context.Request.Query["to"].ToString());
            return;
        }

        if (path.StartsWith("/loop/", StringComparison.Ordinal) && int.TryParse(path["/loop/".Length..], out var hop))
        {
            response.Redirect($"/loop/{hop + 1}");
            return;
        }

        switch (path)
        {
            case "/clip.mp4" or "/plain.mp4":
                response.ContentLength = 1000;
                await response.Body.WriteAsync(new byte[1000], context.RequestAborted);
                break;

            case "/lying.mp4":
                // Announces a megabyte, sends a kilobyte, hangs up.
                response.ContentLength = 1_000_000;
                await response.Body.WriteAsync(new byte[1000], context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                break;

            case "/absurd.mp4":
                response.ContentLength = 1_000_000_000_000_000;
                await response.Body.FlushAsync(context.RequestAborted);   // StartAsync alone leaves the headers unsent
                await HoldAsync(context);
                break;

            case "/stall.mp4":
                response.ContentLength = 1_000_000;
                await response.Body.FlushAsync(context.RequestAborted);   // StartAsync alone leaves the headers unsent
                await HoldAsync(context);
                break;

            case "/trickle.mp4":
                response.ContentLength = 1_000_000;
                await TrickleAsync(context);
                break;

            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }

    private async Task HoldAsync(HttpContext context)
    {
        using var until = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, until.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
    }

    private async Task TrickleAsync(HttpContext context)
    {
        // A byte every 100 ms: never idle for a second, never near 64 KiB/s.
        using var until = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            while (true)
            {
                await context.Response.Body.WriteAsync(new byte[1], until.Token);
                await context.Response.Body.FlushAsync(until.Token);
                await Task.Delay(TimeSpan.FromMilliseconds(100), until.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
    }
}
