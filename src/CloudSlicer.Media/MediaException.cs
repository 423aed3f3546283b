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
}
