namespace CloudSlicer.Slicer;

/// <summary>A failure whose message is written for the job's owner (it becomes <c>last_error</c>).</summary>
public sealed class JobFailedException(string message, Exception? inner = null) : Exception(message, inner);
