using CloudSlicer.Api.Api2;
using CloudSlicer.Api.Content;
using CloudSlicer.Api.Hosting;
using CloudSlicer.Api.Maintenance;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CloudSlicer.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// The api2 API and content serving: api2 options and signing, public URLs, queue and asset maintenance, the
    /// <c>/healthz</c> store check and the content CORS policy. Needs a web host, the stores, and the media
    /// options the slicer pipeline binds (<c>AddSlicer</c>; DASH reads the audio bitrate).
    /// </summary>
    public static IServiceCollection AddCloudSlicerApi(this IServiceCollection services)
    {
        services.AddOptions<Api2Options>().BindConfiguration(Api2Options.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ContentOptions>().BindConfiguration(ContentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Api2Authenticator>();
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<DashManifestCache>();
        services.AddHostedService<QueueMaintenance>();
        services.AddHostedService<AssetMaintenance>();
        services.AddHostedService<SlicerMaintenance>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        services.AddCors(cors => cors.AddPolicy(ContentApi.CorsPolicy, policy => policy
            .AllowAnyOrigin().WithMethods(HttpMethods.Get, HttpMethods.Head).WithHeaders("Range")
            .WithExposedHeaders("Content-Length", "Content-Range", "Accept-Ranges")));
        return services;
    }
}
