namespace CloudSlicer.Api.Api2;

/// <summary>
/// A request the api2 layer refuses. The message is sent to the client verbatim as
/// <c>{"error": 1, "msg": message}</c>, so it says what was wrong and what to do, and never carries a secret.
/// </summary>
public sealed class Api2Exception : Exception
{
    public Api2Exception()
    {
    }

    public Api2Exception(string message)
        : base(message)
    {
    }

    public Api2Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
