using CloudSlicer.Media.Audio;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Probe;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>Binds <see cref="MediaOptions"/> (validated at start) and registers the two tool runners and the audio encoder.</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaOptions>()
            .Bind(configuration.GetSection(MediaOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MediaOptions>, MediaOptionsValidator>();
        services.AddSingleton<FfprobeRunner>();
        services.AddSingleton<FfmpegRunner>();
        services.AddSingleton<AudioEncoder>();
        return services;
    }
}
