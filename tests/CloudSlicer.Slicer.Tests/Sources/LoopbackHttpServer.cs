using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Slicer.Tests.Sources;

/// <summary>
/// A real Kestrel server on loopback that misbehaves on request: bytes with and without Content-Length,
/// status codes, redirects anywhere, a Content-Length of 96 GB, responses that stall or trickle until the client
/// gives up, and headers that come late.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, string> _texts = new();
    private int _requests;

    private LoopbackHttpServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>Requests that reached the server: 0 proves the guard refused before connecting.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>The local address of each request's connection, in order.</summary>
    public ConcurrentQueue<IPAddress> ServedOn { get; } = new();

    /// <summary>Completes when a stalling response has sent what it will send and starts waiting.</summary>
    public Task Stalled => _stalled.Task;

    public static Task<LoopbackHttpServer> StartAsync() => StartAsync([IPAddress.Loopback], 0);

    /// <summary>Listens on every address at one port (a free one, found by asking the OS first).</summary>
    public static Task<LoopbackHttpServer> StartOnAsync(params IPAddress[] addresses)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return StartAsync(addresses, port);
    }

    public static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A free loopback port with nothing listening on it.</summary>
    public static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public Uri Url(string pathAndQuery, string host = "127.0.0.1") => new($"http://{host}:{Port}{pathAndQuery}");

    public void ServeText(string name, string text) => _texts[name] = text;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static async Task<LoopbackHttpServer> StartAsync(IPAddress[] addresses, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var address in addresses)
            {
                kestrel.Listen(address, port);
            }
        });

        var app = builder.Build();
        var server = new LoopbackHttpServer(app);
        server.Map(app);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.Port = new Uri(bound.First()).Port;   // the port Kestrel chose when asked for 0
        return server;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _requests);
            ServedOn.Enqueue(context.Connection.LocalIpAddress!);
            await next(context);
        });

        app.MapGet("/bytes/{length:int}", async (HttpContext context, int length) =>
        {
            context.Response.ContentType = "video/mp4";
            context.Response.ContentLength = length;
            await WriteInChunksAsync(context, Bytes(length));
        });

        app.MapGet("/chunked/{length:int}", async (HttpContext context, int length) =>
        {
            // No Content-Length: Kestrel sends chunked, so only counting can enforce the size limit.
            context.Response.ContentType = "application/octet-stream";
            await WriteInChunksAsync(context, Bytes(length));
        });

        app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/loop/{hop:int}", (int hop) => Results.Redirect($"/loop/{hop + 1}"));
        app.MapGet("/text/{name}", (string name) =>
            _texts.TryGetValue(name, out var text) ? Results.Text(text) : Results.NotFound());

        app.MapGet("/huge", async context =>
        {
            context.Response.ContentLength = 96_000_000_000;
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await StallAsync(context);
        });

        app.MapGet("/stall-body/{sent:int}", async (HttpContext context, int sent) =>
        {
            context.Response.ContentLength = sent * 2L;
            await context.Response.Body.WriteAsync(Bytes(sent), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await StallAsync(context);
        });

        app.MapGet("/stall-headers", StallAsync);

        app.MapGet("/trickle/{announced:long}", async (HttpContext context, long announced) =>
        {
            // One byte every 50 ms: never idle for long, far below any useful rate. 0 announces no length.
            if (announced > 0)
            {
                context.Response.ContentLength = announced;
            }

            await TrickleAsync(context, TimeSpan.FromMilliseconds(50));
        });

        app.MapGet("/text-trickle", async context =>
        {
            context.Response.ContentType = "text/plain";
            await TrickleAsync(context, TimeSpan.FromMilliseconds(100));
        });

        app.MapGet("/steady/{chunks:int}", async (HttpContext context, int chunks) =>
        {
            // 32 KiB every 50 ms: about ten times a 64 KiB/s floor, for as long as the test needs.
            context.Response.ContentLength = chunks * 32L * 1024;
            var chunk = Bytes(32 * 1024);
            for (var i = 0; i < chunks; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(TimeSpan.FromMilliseconds(50), context.RequestAborted);
            }
        });

        app.MapGet("/slow-headers/{milliseconds:int}/{length:int}", async (HttpContext context, int milliseconds, int length) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(milliseconds), context.RequestAborted);
            context.Response.ContentLength = length;
            await WriteInChunksAsync(context, Bytes(length));
        });

        app.MapGet("/late-stall/{milliseconds:int}/{announced:int}/{sent:int}", async (HttpContext context, int milliseconds, int announced, int sent) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(milliseconds), context.RequestAborted);
            context.Response.ContentLength = announced;
            await context.Response.Body.WriteAsync(Bytes(sent), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await StallAsync(context);
        });

        app.MapGet("/truncated/{sent:int}", async (HttpContext context, int sent) =>
        {
            context.Response.ContentLength = sent * 2L;
            await context.Response.Body.WriteAsync(Bytes(sent), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
        });
    }

    private async Task StallAsync(HttpContext context)
    {
        using var until = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        _stalled.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, until.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();   // the client left, or the test is over
        }
    }

    private async Task TrickleAsync(HttpContext context, TimeSpan every)
    {
        using var until = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            while (true)
            {
                await context.Response.Body.WriteAsync("x"u8.ToArray(), until.Token);
                await context.Response.Body.FlushAsync(until.Token);
                await Task.Delay(every, until.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();   // the client gave up, or the test is over
        }
    }

    private static async Task WriteInChunksAsync(HttpContext context, byte[] bytes)
    {
        for (var offset = 0; offset < bytes.Length; offset += 16 * 1024)
        {
            await context.Response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(16 * 1024, bytes.Length - offset)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }
}
