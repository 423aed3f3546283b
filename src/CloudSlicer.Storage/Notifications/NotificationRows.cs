using System.Data.Common;
using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Storage.Notifications;

/// <summary>How a row of the <c>notifications</c> table reads, the same for every database.</summary>
internal static class NotificationRows
{
    public static NotificationState ParseState(string wire) => wire switch
    {
        "pending" => NotificationState.Pending,
        "delivered" => NotificationState.Delivered,
        "failed" => NotificationState.Failed,
        _ => throw new InvalidOperationException($"unknown notification state '{wire}'"),
    };

    public static Notification Read(DbDataReader row) => new()
    {
        Id = row.GetString(row.GetOrdinal("id")),
        JobId = row.GetString(row.GetOrdinal("job_id")),
        Owner = row.GetString(row.GetOrdinal("owner")),
        Event = NotificationEvents.ParseWire(row.GetString(row.GetOrdinal("event"))),
        Url = new Uri(row.GetString(row.GetOrdinal("url"))),
        Body = row.GetString(row.GetOrdinal("body")),
        State = ParseState(row.GetString(row.GetOrdinal("state"))),
        Attempts = row.GetInt32(row.GetOrdinal("attempts")),
        MaxAttempts = row.GetInt32(row.GetOrdinal("max_attempts")),
        RetryWait = TimeSpan.FromMilliseconds(row.GetInt64(row.GetOrdinal("retry_wait"))),
        NextAt = row.GetInt64(row.GetOrdinal("next_at")),
        LastError = row.GetString(row.GetOrdinal("last_error")),
        Created = row.GetInt64(row.GetOrdinal("created")),
        Closed = row.IsDBNull(row.GetOrdinal("closed")) ? null : row.GetInt64(row.GetOrdinal("closed")),
    };
}
