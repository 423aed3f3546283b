namespace CloudSlicer.Core.Jobs;

/// <summary>
/// The job dictionary's protocol texts that the store itself writes (<c>progress</c> on claim and completion
/// and while no running slicer can do a waiting job, <c>last_error</c> when a lease runs out). They live here, once, so every store writes the
/// same words (the seed shows "Finished successfully"); stores take them as parameters, never as SQL literals.
/// </summary>
public static class JobTexts
{
    /// <summary><c>progress</c> of a job just claimed, before its slicer reports anything.</summary>
    public const string Starting = "Starting";

    /// <summary><c>progress</c> of a done job.</summary>
    public const string Finished = "Finished successfully";

    /// <summary><c>last_error</c> of an attempt whose slicer stopped heartbeating.</summary>
    public const string LeaseExpired =
        "The slicer working on this job stopped responding (its lease expired); the attempt was counted.";

    /// <summary>
    /// <c>progress</c> of a waiting job whose kind no running slicer can do: why it waits and what starts it.
    /// Cleared once a slicer that can do it is alive; the claim then writes <see cref="Starting"/>.
    /// </summary>
    public static string NoSlicerFor(JobKind kind) =>
        $"Waiting: no running slicer can do {kind.ToWire()} jobs. Start one with 'cloudslicer serve --slicers 1' (or more); " +
        "the job starts then and spends no attempt while it waits.";
}
