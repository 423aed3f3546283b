namespace CloudSlicer.Storage.Slicers;

/// <summary>
/// The slicers running now, as the job store last heard of them: one row per slicer (the id it claims jobs
/// under, <c>{host}:{pid}:{i}</c>) with the job kinds it has handlers for. A slicer is alive while it beats;
/// one that missed <see cref="SlicerLiveness.MissedBeats"/> of its own beats (a crashed process) is not, and
/// its row simply goes stale. The API reads it to tell a waiting job that no running slicer can do it.
/// </summary>
public interface ISlicerRegistry
{
    /// <summary>Adds the slicer, seen now; an earlier row with the same id (a restart reusing a pid) is replaced.</summary>
    Task RegisterAsync(SlicerRegistration slicer, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the slicer seen now, working on <paramref name="job"/> (null when idle). False when its row is gone
    /// (forgotten as stale, or a fresh store): the caller registers it again.
    /// </summary>
    Task<bool> BeatAsync(string id, string? job, CancellationToken cancellationToken);

    /// <summary>Removes the slicer (a clean stop). Removing one that is not there is not an error.</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>The slicers heard from within <see cref="SlicerLiveness.MissedBeats"/> of their own beat interval, by id.</summary>
    Task<IReadOnlyList<SlicerRecord>> ListAliveAsync(CancellationToken cancellationToken);

    /// <summary>Deletes rows not heard from for <paramref name="age"/> (crashed processes). Returns how many.</summary>
    Task<int> ForgetStaleAsync(TimeSpan age, CancellationToken cancellationToken);
}
