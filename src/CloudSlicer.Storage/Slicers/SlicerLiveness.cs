namespace CloudSlicer.Storage.Slicers;

/// <summary>The liveness rule every store applies the same way.</summary>
public static class SlicerLiveness
{
    /// <summary>
    /// A slicer is alive until it has missed this many of its own beats: one late beat (a busy store, a GC
    /// pause) must not make its jobs' owners read "no running slicer".
    /// </summary>
    public const int MissedBeats = 3;
}
