using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Hosting;

/// <summary>
/// A small HTTP port for an orchestrator (<c>--health-urls</c>): <c>GET /healthz</c> answers 200 while the slicers
/// are ready and 503 otherwise (starting, the store unreachable, stopping). It lives outside the slicer host on
/// purpose: it is started before the slicers and stopped after they have handed their jobs back, so the 503 of a
/// stop is seen for the whole stop.
/// </summary>
public sealed class HealthPort : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HealthPort(WebApplication app) => _app = app;

    /// <summary>The addresses it listens on (a port 0 resolved).</summary>
    public IReadOnlyList<string> Urls => [.. _app.Urls];

    public static async Task<HealthPort> StartAsync(string urls, Func<CancellationToken, Task<bool>> isReady, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();   // SIGTERM stops the slicers; this port stops after them
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        app.MapGet("/healthz", async (CancellationToken ct) => await isReady(ct).ConfigureAwait(false)
            ? Results.Text("ready\n")
            : Results.Text("not ready\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new HealthPort(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
