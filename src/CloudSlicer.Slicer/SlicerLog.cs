using CloudSlicer.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Slicer;

internal static partial class SlicerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Slicer {Slicer} claimed job {JobId} ({JobKind}), attempt {Attempt}")]
    public static partial void Claimed(ILogger logger, string slicer, string jobId, JobKind jobKind, int attempt);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Job {JobId} failed on attempt {Attempt}: {Error}")]
    public static partial void AttemptFailed(ILogger logger, string jobId, int attempt, string error);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Job {JobId} cancelled while assigned; stopped and removed partial output")]
    public static partial void Cancelled(ILogger logger, string jobId);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Job {JobId} lost its lease; dropped the work")]
    public static partial void LeaseLost(ILogger logger, string jobId);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Job {JobId} done: asset {Asset}")]
    public static partial void Done(ILogger logger, string jobId, string? asset);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Heartbeat for job {JobId} failed")]
    public static partial void HeartbeatFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "Slicer {Slicer} loop failed; retrying")]
    public static partial void LoopFailed(ILogger logger, string slicer, Exception exception);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Job {JobId} released on shutdown")]
    public static partial void Released(ILogger logger, string jobId);

    [LoggerMessage(EventId = 108, Level = LogLevel.Error, Message = "Job {JobId} failed with an unexpected error")]
    public static partial void Unexpected(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Job {JobId} failed on attempt {Attempt} in a way no retry can mend; not retried: {Error}")]
    public static partial void FailedPermanently(ILogger logger, string jobId, int attempt, string error);
}
