namespace CloudSlicer.Slicer.Sources;

/// <summary>
/// A source could not be fetched. The message is written for the job's owner (it becomes <c>last_error</c>):
/// it says what was wrong and what to do, and never contains a URL's query string or credentials.
/// </summary>
public sealed class SourceException : Exception
{
    public SourceException()
    {
    }

    public SourceException(string message)
        : base(message)
    {
    }

    public SourceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when another attempt cannot succeed (a refused address, a 4xx, a source over the size cap):
    /// the job goes to <c>error</c> at once instead of spending its retries. Transient faults leave it false.
    /// </summary>
    public bool Permanent { get; init; }
}

/// <summary>What a download stored: its size and the Content-Type the server named, if any.</summary>
public sealed record DownloadResult(long Bytes, string? ContentType);
