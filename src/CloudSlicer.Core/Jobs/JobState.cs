namespace CloudSlicer.Core.Jobs;

/// <summary>The protocol's five job states. Wire names are the lower-case member names.</summary>
public enum JobState
{
    /// <summary>Created by the API, or put back by a failed attempt or an expired lease; a slicer may claim it.</summary>
    Waiting,

    /// <summary>Claimed by a slicer, which holds a lease and renews it with heartbeats.</summary>
    Assigned,

    /// <summary>Finished by the slicer that held the lease; the output (the asset) is published.</summary>
    Done,

    /// <summary>Every attempt failed; <c>last_error</c> says why the last one did.</summary>
    Error,

    /// <summary>Cancelled by its owner while waiting or assigned.</summary>
    Cancelled,
}
