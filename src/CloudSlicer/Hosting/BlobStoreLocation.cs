using CloudSlicer.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;

namespace CloudSlicer.Hosting;

/// <summary>Where asset files live (<c>--blobs</c>). Another kind of store is one more record and one more branch in <see cref="From"/>.</summary>
public abstract record BlobStoreLocation
{
    private BlobStoreLocation()
    {
    }

    public abstract IServiceCollection AddTo(IServiceCollection services);

    /// <summary>The file system that job work directories should share, so that storing is a rename; null when the store is not a local directory.</summary>
    public abstract string? LocalDirectory { get; }

    /// <exception cref="ConfigurationException">A store this build cannot use.</exception>
    public static BlobStoreLocation From(string? blobs, string dataDirectory)
    {
        if (blobs is not null && blobs.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException("--blobs s3://... is not supported by this build yet; give a directory, or leave --blobs out to use the data directory");
        }

        return new LocalDisk(Path.GetFullPath(blobs ?? Path.Combine(dataDirectory, "blobs")));
    }

    /// <summary>A directory on this machine (or a file system every process of the deployment mounts).</summary>
    public sealed record LocalDisk(string Path) : BlobStoreLocation
    {
        public override string? LocalDirectory => Path;

        public override IServiceCollection AddTo(IServiceCollection services) => services.AddSingleton<IBlobStore>(new LocalDiskBlobStore(Path));
    }
}
