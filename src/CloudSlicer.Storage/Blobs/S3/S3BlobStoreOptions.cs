namespace CloudSlicer.Storage.Blobs.S3;

/// <summary>How the S3 store uploads and how long it outlasts an outage.</summary>
public sealed record S3BlobStoreOptions
{
    /// <summary>Files of at least this many bytes go up as multipart uploads (S3's smallest part is 5 MiB).</summary>
    public long MultipartThreshold { get; init; } = 16 * 1024 * 1024;

    /// <summary>The size of each part of a multipart upload (the last may be smaller).</summary>
    public long PartSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// How long a call keeps retrying a store that does not answer before it fails as transient. Long enough for
    /// a server restart or a failover; short enough that a player's request or a job's attempt is not held for long.
    /// </summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(30);
}
