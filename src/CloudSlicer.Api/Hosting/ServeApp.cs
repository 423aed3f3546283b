using CloudSlicer.Api.Api2;
using CloudSlicer.Api.Content;
using CloudSlicer.Api.Maintenance;
using CloudSlicer.Slicer;
using CloudSlicer.Storage;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Owners;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Api.Hosting;

/// <summary>
/// Composes <c>cloudslicer serve</c>: the api2 API, content serving, queue maintenance and N in-process
/// slicers over the configured stores. Tests build the same app on a loopback port.
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
        builder.Configuration.AddEnvironmentVariables("CLOUDSLICER_");
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.WebHost.UseUrls(builder.Configuration["Urls"] is { Length: > 0 } urls ? urls : "http://127.0.0.1:8080");
        // A failed start is reported once, as one line, by the command; the host's own multi-line log of it is noise.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);

        var deployment = Deployment.From(builder.Configuration);
        PrivateFiles.CreateDirectory(deployment.DataDirectory);   // before anything creates a folder inside it
        builder.Configuration.AddInMemoryCollection([new("Slicer:WorkDirectory", deployment.WorkDirectory)]);
        ToolCheck.RequireMediaTools(builder.Configuration);

        var services = builder.Services;
        services.AddSingleton(deployment);
        services.AddSqliteStorage(deployment.DatabasePath);
        services.AddSingleton<IBlobStore>(new LocalDiskBlobStore(deployment.BlobDirectory));
        services.AddOptions<Api2Options>().BindConfiguration(Api2Options.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Api2Authenticator>();
        services.AddSingleton<PublicUrls>();
        services.AddHostedService<QueueMaintenance>();
        services.AddHostedService<AssetMaintenance>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        services.AddSlicer(builder.Configuration);
        services.AddCors(cors => cors.AddPolicy(ContentApi.CorsPolicy, policy => policy
            .AllowAnyOrigin().WithMethods(HttpMethods.Get, HttpMethods.Head).WithHeaders("Range")
            .WithExposedHeaders("Content-Length", "Content-Range", "Accept-Ranges")));

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
        app.MapCloudSlicerApi();
        app.MapUnknownApi2();
        app.MapContent();
        app.MapDash();
        return app;
    }

    /// <summary>Creates the first owner when the store has none; returns it so the caller can print it once.</summary>
    public static async Task<OwnerCredentials?> EnsureFirstOwnerAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var owners = services.GetRequiredService<IOwnerStore>();
        return await owners.AnyOwnerAsync(cancellationToken).ConfigureAwait(false)
            ? null
            : await owners.AddOwnerAsync("first owner", cancellationToken).ConfigureAwait(false);
    }
}
