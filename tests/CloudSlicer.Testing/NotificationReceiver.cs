using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Testing;

/// <summary>One request a <see cref="NotificationReceiver"/> got, and the status it answered.</summary>
public sealed record ReceivedNotification(
    string Method, string Path, string Query, string? ContentType, string? UserAgent, string? Signature, string Body, int Answered)
{
    public IReadOnlyDictionary<string, string> Form =>
        QueryHelpers.ParseQuery("?" + Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    public bool Accepted => Answered is >= 200 and < 300;

    /// <summary>Checks <c>X-CloudSlicer-Signature</c> as docs/notifications.md tells a receiver to: any v1 for the key matches.</summary>
    public bool SignedWith(string key)
    {
        if (Signature is null)
        {
            return false;
        }

        var parts = Signature.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToList();
        var t = parts.FirstOrDefault(p => p[0] == "t")?[1];
        if (t is null)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{t}.{Body}"));
        return parts.Where(p => p[0] == "v1").Any(p => CryptographicOperations.FixedTimeEquals(Convert.FromHexString(p[1]), expected));
    }
}

/// <summary>
/// A Slicebot notification receiver on real Kestrel at 127.0.0.1: records every request and answers 500 to
/// the first <see cref="FailRemaining"/> of them, then 200; <c>/moved</c> answers a 307 redirect to <c>/</c>, and <c>/stall</c> never answers.
/// </summary>
public sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedNotification> _received = new();
    private int _failRemaining;

    private NotificationReceiver(WebApplication app, int failFirst)
    {
        _app = app;
        _failRemaining = failFirst;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Requests still to be answered 500; set it to change course mid-test.</summary>
    public int FailRemaining
    {
        get => Volatile.Read(ref _failRemaining);
        set => Volatile.Write(ref _failRemaining, value);
    }

    public IReadOnlyList<ReceivedNotification> Received => [.. _received];

    public IReadOnlyList<ReceivedNotification> Accepted => [.. _received.Where(r => r.Accepted)];

    /// <summary><paramref name="pathAndQuery"/> such as <c>/done?token=abc</c> on this receiver.</summary>
    public string Url(string pathAndQuery) => BaseUrl + pathAndQuery;

    public static async Task<NotificationReceiver> StartAsync(int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new NotificationReceiver(app, failFirst);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var fail = Interlocked.Decrement(ref _failRemaining) >= 0;
        if (!fail)
        {
            Interlocked.Increment(ref _failRemaining);   // stays at 0 rather than drifting negative
        }

        // "/moved" answers 307 to "/" on this receiver: a sender must not follow it.
        var moved = http.Request.Path == "/moved";
        var status = moved ? StatusCodes.Status307TemporaryRedirect : fail ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        if (moved)
        {
            http.Response.Headers.Location = "/";
        }

        _received.Enqueue(new ReceivedNotification(
            http.Request.Method, http.Request.Path, http.Request.QueryString.Value ?? "", http.Request.ContentType,
            http.Request.Headers.UserAgent.ToString(), http.Request.Headers["X-CloudSlicer-Signature"].FirstOrDefault(), body, status));
        if (http.Request.Path == "/stall")
        {
            // Never answers: the sender gives up (its timeout) or goes away first.
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        http.Response.StatusCode = status;
    }
}
