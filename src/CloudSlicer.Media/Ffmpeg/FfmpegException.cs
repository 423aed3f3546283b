namespace CloudSlicer.Media.Ffmpeg;

/// <summary>ffmpeg failed or had to be stopped; the message carries the exit code and the end of its stderr.</summary>
public sealed class FfmpegException : MediaException
{
    public FfmpegException()
    {
    }

    public FfmpegException(string message)
        : base(message)
    {
    }

    public FfmpegException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FfmpegException(string message, int? exitCode, IReadOnlyList<string> stderrTail)
        : base(message)
    {
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    /// <summary>ffmpeg's exit code; null when it was killed for making no progress.</summary>
    public int? ExitCode { get; }

    public IReadOnlyList<string> StderrTail { get; } = [];
}
