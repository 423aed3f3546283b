using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Blobs.S3;
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
        if (blobs is not null && S3Location.IsS3(blobs))
        {
            try
            {
                return new S3(S3Location.Parse(blobs));
            }
            catch (FormatException ex)
            {
                throw new ConfigurationException(ex.Message);
            }
        }

        return new LocalDisk(Path.GetFullPath(blobs ?? Path.Combine(dataDirectory, "blobs")));
    }

    /// <summary>
    /// A bucket (and prefix) of S3 or an S3-compatible server; credentials come from the AWS chain (docs/s3.md). Work
    /// directories stay on local disk, under the data directory.
    /// </summary>
    public sealed record S3(S3Location Location) : BlobStoreLocation
    {
        public override string? LocalDirectory => null;

        public override IServiceCollection AddTo(IServiceCollection services) => services.AddS3BlobStore(Location);
    }

    /// <summary>A directory on this machine (or a file system every process of the deployment mounts).</summary>
    public sealed record LocalDisk(string Path) : BlobStoreLocation
    {
        public override string? LocalDirectory => Path;

        public override IServiceCollection AddTo(IServiceCollection services) => services.AddSingleton<IBlobStore>(new LocalDiskBlobStore(Path));
    }
}
