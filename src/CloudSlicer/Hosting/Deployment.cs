using Microsoft.Extensions.Configuration;

namespace CloudSlicer.Hosting;

/// <summary>
/// Where this process keeps its state, resolved once from configuration (<c>Data</c>, <c>Db</c>, <c>Blobs</c>).
/// The one-box default puts everything under the data directory; the scaled-out shape names a PostgreSQL
/// database that every API node and slicer machine shares.
/// </summary>
public sealed record Deployment(string DataDirectory, JobStoreLocation JobStore, BlobStoreLocation BlobStore, string WorkDirectory)
{
    /// <exception cref="ConfigurationException">A setting that cannot be used; the message is one line and holds no password.</exception>
    public static Deployment From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var data = Path.GetFullPath(NonEmpty(configuration["Data"]) ?? "data");
        var jobStore = JobStoreLocation.From(NonEmpty(configuration["Db"]), data);
        var blobStore = BlobStoreLocation.From(NonEmpty(configuration["Blobs"]), data);

        // On the blob store's file system when it has one, so that storing a finished asset is a rename.
        var work = NonEmpty(configuration["Slicer:WorkDirectory"]) ?? Path.Combine(blobStore.LocalDirectory ?? data, ".work");
        return new Deployment(data, jobStore, blobStore, Path.GetFullPath(work));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
