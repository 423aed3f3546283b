using CloudSlicer.Core.Jobs.Settings;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Slicer.Notifications;

// URLs are logged as SourceErrors.Describe gives them: no query, no user info.
internal static partial class NotificationLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Notification {Event} of job {JobId} delivered to {Url} (try {Attempt})")]
    public static partial void Delivered(ILogger logger, NotificationEvent @event, string jobId, string url, int attempt);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Notification {Event} of job {JobId} to {Url} failed on try {Attempt} of {MaxAttempts}: {Error}")]
    public static partial void TryFailed(ILogger logger, NotificationEvent @event, string jobId, string url, int attempt, int maxAttempts, string error);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Notification {Event} of job {JobId} to {Url} given up: {Error}")]
    public static partial void GaveUp(ILogger logger, NotificationEvent @event, string jobId, string url, string error);

    [LoggerMessage(EventId = 603, Level = LogLevel.Error, Message = "Notification sender failed; retrying")]
    public static partial void LoopFailed(ILogger logger, Exception exception);
}
