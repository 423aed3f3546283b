namespace CloudSlicer.Media;

/// <summary>A source or a media tool failed; <see cref="Exception.Message"/> is written for a job's <c>last_error</c>.</summary>
public class MediaException : Exception
{
    public MediaException()
    {
    }

    public MediaException(string message)
        : base(message)
    {
    }

    public MediaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when the same bytes would fail the same way (a container outside the allow-list, no audio or
    /// video): the job goes to <c>error</c> at once. A corrupt or truncated file leaves it false, since
    /// downloading it again may mend it.
    /// </summary>
    public bool Permanent { get; init; }
}
