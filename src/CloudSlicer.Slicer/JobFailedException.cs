namespace CloudSlicer.Slicer;

/// <summary>A failure whose message is written for the job's owner (it becomes <c>last_error</c>).</summary>
public sealed class JobFailedException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// True when another attempt cannot succeed (a setting that cannot be used, a source without video):
    /// the job goes to <c>error</c> at once instead of spending its retries.
    /// </summary>
    public bool Permanent { get; init; }
}
