using CloudSlicer.Slicer.Handlers;
using CloudSlicer.Slicer.Notifications;
using CloudSlicer.Slicer.Sources;
using CloudSlicer.Media;
using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSingleton<Handlers.Parts.SplitEncode>();
        services.AddSingleton<IJobHandler, Handlers.Parts.SlicePartHandler>();
        services.AddSingleton<IJobHandler, QuickClipHandler>();
        services.AddSingleton<Handlers.Captions.CaptionTrackWork>();
        services.AddSingleton<IJobHandler, AddTrackVttHandler>();
        services.AddSingleton<IJobHandler, ReplaceTrackVttHandler>();
        services.AddSingleton<IJobHandler, ExportHandler>();
        services.AddSingleton<IJobHandler, CopyFromLibraryHandler>();
        services.AddSingleton<IJobHandler, AddTrackAudioHandler>();
        services.AddHostedService<SlicerService>();
        services.AddNotifications();
        return services;
    }

    /// <summary>The sender of Slicebot notifications (section "Notifications"); the outbox comes with the store.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.AddHostedService<NotificationDelivery>();
        return services;
    }
}

internal sealed class SlicerOptionsValidator(IOptions<QueueOptions> queue) : IValidateOptions<SlicerOptions>
{
    public ValidateOptionsResult Validate(string? name, SlicerOptions options)
    {
        if (options.Ladder.Any(r => r.Height < 2 || r.VideoKbps < 1 || r.MaxFrameRate <= 0))
        {
            return ValidateOptionsResult.Fail("Slicer:Ladder rows need Height >= 2, VideoKbps >= 1 and MaxFrameRate > 0");
        }

        if (options.RegistryInterval <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail($"Slicer:RegistryInterval ({options.RegistryInterval}) must be positive");
        }

        // Two missed heartbeats must not lose a healthy slicer its job.
        return options.HeartbeatInterval > TimeSpan.Zero && options.HeartbeatInterval * 3 <= queue.Value.LeaseDuration
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Slicer:HeartbeatInterval ({options.HeartbeatInterval}) must be positive and at most a third of Queue:LeaseDuration ({queue.Value.LeaseDuration})");
    }
}
