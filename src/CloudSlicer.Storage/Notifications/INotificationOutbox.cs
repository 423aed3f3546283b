namespace CloudSlicer.Storage.Notifications;

/// <summary>
/// The durable outbox of Slicebot notifications. Rows are written by the job queue in the same transaction as
/// the transition that causes them (see <see cref="CloudSlicer.Core.Jobs.Settings.JobNotification"/>); senders
/// claim due rows under a lease, like slicers claim jobs, so two senders never hold one row at once and a
/// sender whose lease expired cannot settle a row someone else now holds.
/// </summary>
public interface INotificationOutbox
{
    /// <summary>Claims the oldest due row for <paramref name="leaseDuration"/> and counts the attempt; null when none is due.</summary>
    Task<ClaimedNotification?> TryClaimAsync(TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>The receiver answered 2xx: the row is settled and never sent again. False when fenced.</summary>
    Task<bool> MarkDeliveredAsync(NotificationLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// The attempt failed: the row waits its retry wait, or is settled as failed when its attempts are spent
    /// or <paramref name="final"/> (a refused address: retrying cannot help). Null when fenced.
    /// </summary>
    Task<NotificationState?> MarkFailedAsync(NotificationLease lease, string error, bool final, CancellationToken cancellationToken);

    /// <summary>
    /// Hands a claimed row back, due at once and its attempt not counted: the sender is stopping cleanly, so
    /// the try was cut short, not failed. False when fenced.
    /// </summary>
    Task<bool> ReleaseAsync(NotificationLease lease, CancellationToken cancellationToken);

    /// <summary>A job's notifications, oldest first (for operators and tests).</summary>
    Task<IReadOnlyList<Notification>> ListForJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Erases rows settled longer ago than <paramref name="retention"/>. Returns how many.</summary>
    Task<int> EraseSettledAsync(TimeSpan retention, CancellationToken cancellationToken);
}
