using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Storage.Notifications;

public enum NotificationState
{
    /// <summary>Not yet answered with 2xx; sent at or after <see cref="Notification.NextAt"/>.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed, or the address was refused.</summary>
    Failed,
}

/// <summary>One outbox row. Times are Unix milliseconds. <see cref="Url"/> has no query: it moved into <see cref="Body"/>.</summary>
public sealed record Notification
{
    public required string Id { get; init; }
    public required string JobId { get; init; }
    public required string Owner { get; init; }
    public required NotificationEvent Event { get; init; }
    public required Uri Url { get; init; }
    public required string Body { get; init; }
    public required NotificationState State { get; init; }
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; }
    public TimeSpan RetryWait { get; init; }
    public long NextAt { get; init; }
    public string LastError { get; init; } = "";
    public long Created { get; init; }
    public long? Closed { get; init; }
}

/// <summary>A sender's hold on a row; the token fences its later writes.</summary>
public sealed record NotificationLease(string Id, string Token);

public sealed record ClaimedNotification(Notification Notification, NotificationLease Lease);
