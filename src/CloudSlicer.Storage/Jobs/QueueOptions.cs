using System.ComponentModel.DataAnnotations;

namespace CloudSlicer.Storage.Jobs;

public sealed class QueueOptions
{
    public const string Section = "Queue";

    /// <summary>Attempts before a job goes to error.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long a claim holds without a heartbeat. A slicer that dies loses its job after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a failed job waits before its next attempt; doubles with each attempt (a source server that
    /// is down for a minute should not burn every attempt in a second).
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long done, error and cancelled jobs are kept before they are erased.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(72);
}
