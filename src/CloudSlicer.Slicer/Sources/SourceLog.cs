using Microsoft.Extensions.Logging;

namespace CloudSlicer.Slicer.Sources;

// URLs are logged without query strings: presigned URLs carry their signature there.
internal static partial class SourceLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Downloaded {Bytes} bytes from {SourceUrl}")]
    public static partial void Downloaded(ILogger logger, long bytes, string sourceUrl);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "Following redirect from {SourceUrl} to {TargetUrl}")]
    public static partial void Redirected(ILogger logger, string sourceUrl, string targetUrl);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "Sidecar {SourceUrl} not used: {Reason}")]
    public static partial void SidecarSkipped(ILogger logger, string sourceUrl, string reason);
}
