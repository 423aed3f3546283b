using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudSlicer.Storage.Secrets;

public static class SecretsServiceCollectionExtensions
{
    public const string KeySetting = "Secrets:Key";

    /// <summary>
    /// Registers the one <see cref="SecretBox"/>: keyed by <c>Secrets:Key</c> (env <c>CLOUDSLICER_Secrets__Key</c>) when
    /// set, else by a key file generated in <paramref name="dataDirectory"/> on first use.
    /// </summary>
    /// <exception cref="FormatException">Secrets:Key is set but is not base64 of 32 bytes.</exception>
    public static IServiceCollection AddSecretBox(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[KeySetting];
        var key = string.IsNullOrWhiteSpace(configured) ? SecretKey.InDataDirectory(dataDirectory) : SecretKey.FromBase64(configured);
        services.TryAddSingleton(new SecretBox(key));
        return services;
    }
}
