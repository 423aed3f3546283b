namespace CloudSlicer.Storage.Blobs.S3;

/// <summary>
/// The object store did not answer (no connection, a 5xx, throttling) for the whole retry budget. Transient: the
/// job that met it is retried later, as for any failure that may mend itself. The message names the bucket and
/// the kind of failure, never the endpoint's details or a credential.
/// </summary>
public sealed class BlobStoreUnavailableException(string message, Exception inner) : IOException(message, inner);
