using Microsoft.Extensions.Logging;

namespace CloudSlicer.Media;

internal static partial class MediaLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Starting {Tool} with {Arguments}")]
    public static partial void ToolStarting(ILogger logger, string tool, IReadOnlyList<string> arguments);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Killed {Tool} (process {ProcessId}): {Reason}")]
    public static partial void ToolKilled(ILogger logger, string tool, int processId, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "Could not start {Tool} at {FileName}")]
    public static partial void ToolStartFailed(ILogger logger, string tool, string fileName, Exception exception);
}
