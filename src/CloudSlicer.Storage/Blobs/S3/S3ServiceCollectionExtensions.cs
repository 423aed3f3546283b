using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Storage.Blobs.S3;

public static class S3ServiceCollectionExtensions
{
    /// <summary>The key of the store's own S3 client, so other S3 clients of the process (private sources) stay apart.</summary>
    public const string ClientKey = "blobs";

    /// <summary>
    /// The blob store on S3 at <paramref name="location"/> (<see cref="S3Location.Parse"/> of <c>--blobs</c>), with
    /// credentials from the AWS chain. The client is made on first use and disposed with the container.
    /// </summary>
    public static IServiceCollection AddS3BlobStore(this IServiceCollection services, S3Location location, S3BlobStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(location);

        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton<IAmazonS3>(ClientKey, (_, _) => S3Clients.Create(location));
        services.AddSingleton<IBlobStore>(provider => new S3BlobStore(
            provider.GetRequiredKeyedService<IAmazonS3>(ClientKey),
            location,
            provider.GetRequiredService<TimeProvider>(),
            options,
            provider.GetService<ILogger<S3BlobStore>>()));
        return services;
    }
}
