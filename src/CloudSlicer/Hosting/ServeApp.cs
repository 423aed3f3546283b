using CloudSlicer.Api;
using CloudSlicer.Api.Api2;
using CloudSlicer.Api.Content;
using CloudSlicer.Storage.Owners;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CloudSlicer.Hosting;

/// <summary>
/// Composes <c>cloudslicer serve</c>: the api2 API, content serving and queue maintenance on a web host, over
/// the stores and N in-process slicers every slicing process has. Tests build the same app on a loopback port.
/// </summary>
public static class ServeApp
{
    public const int MaxRequestBytes = 1024 * 1024;

    /// <param name="overrides">Configuration from command-line flags; wins over appsettings.json and CLOUDSLICER_* variables.</param>
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddSlicingProcess(overrides);                  // configuration, stores, slicers
        builder.WebHost.UseUrls(builder.Configuration["Urls"] is { Length: > 0 } urls ? urls : "http://127.0.0.1:8080");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);
        builder.Services.AddCloudSlicerApi();                  // api2 signing, maintenance, /healthz, content CORS

        var app = builder.Build();
        // Every answer, api2 or content, 404s included: a browser takes a playlist or an error for what its type
        // says, never sniffs it into something it could run.
        app.Use(static (http, next) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return next(http);
        });
        app.UseCors();
        app.UseApi2Signing();
        app.MapHealthChecks("/healthz");
        app.MapCloudSlicerApi();                               // /api2/cloudslicer/jobs/*, /api2/asset/*
        app.MapUnknownApi2();
        app.MapContent();                                      // /{asset}.m3u8 and its slices, /ext/{owner}/{external_id}.*
        app.MapDash();                                         // /{asset}.mpd
        return app;
    }

    /// <summary>Creates the first owner when the store has none; returns it so the caller can print it once.</summary>
    public static async Task<OwnerCredentials?> EnsureFirstOwnerAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // One statement-level decision in the store: API nodes starting together on an empty store make one owner.
        var owners = services.GetRequiredService<IOwnerStore>();
        return await owners.AddFirstOwnerAsync("first owner", cancellationToken).ConfigureAwait(false);
    }
}
