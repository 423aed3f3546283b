using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Jobs;

public abstract record CancelOutcome
{
    private CancelOutcome()
    {
    }

    public sealed record Cancelled(Job Job) : CancelOutcome;

    /// <summary>The job is done, error or already cancelled.</summary>
    public sealed record AlreadyFinished(Job Job) : CancelOutcome;

    public sealed record NotFound : CancelOutcome;
}

public enum DeleteOutcome
{
    Deleted,
    NotFound,

    /// <summary>An assigned job cannot be deleted; cancel it first.</summary>
    Assigned,
}
