using CloudSlicer.Slicer.Handlers;
using CloudSlicer.Slicer.Sources;
using CloudSlicer.Media;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer;

public static class SlicerServiceCollectionExtensions
{
    /// <summary>The slicer pipeline: fetch, media, handlers, and the hosted service that runs N slicers.</summary>
    public static IServiceCollection AddSlicer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SlicerOptions>().BindConfiguration(SlicerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlicerOptions>, SlicerOptionsValidator>();
        services.AddSources(configuration);
        services.AddMedia(configuration);
        services.AddSingleton<AssetPublisher>();
        services.AddSingleton<IJobHandler, CreateAssetHandler>();
        services.AddHostedService<SlicerService>();
        return services;
    }
}

internal sealed class SlicerOptionsValidator : IValidateOptions<SlicerOptions>
{
    public ValidateOptionsResult Validate(string? name, SlicerOptions options) =>
        options.Ladder.Any(r => r.Height < 2 || r.VideoKbps < 1 || r.MaxFrameRate <= 0)
            ? ValidateOptionsResult.Fail("Slicer:Ladder rows need Height >= 2, VideoKbps >= 1 and MaxFrameRate > 0")
            : ValidateOptionsResult.Success;
}
