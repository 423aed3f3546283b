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

    /// <summary>How long done, error and cancelled jobs are kept before they are erased.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(72);
}
