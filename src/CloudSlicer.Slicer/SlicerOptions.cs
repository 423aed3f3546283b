using System.ComponentModel.DataAnnotations;
using CloudSlicer.Core.Assets;

namespace CloudSlicer.Slicer;

public sealed class SlicerOptions
{
    public const string Section = "Slicer";

    /// <summary>Slicers run by this process (<c>--slicers</c> / <c>--count</c>); 0 serves the API only.</summary>
    [Range(0, 64)]
    public int Count { get; set; } = 1;

    /// <summary>Per-job work directories live here; on the blob store's file system, publishing is a rename.</summary>
    [Required]
    public string WorkDirectory { get; set; } = "";

    /// <summary>How often a running job renews its lease and reports progress. At most a third of the lease.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an idle slicer waits before looking for work again (work from this process wakes it at once).</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often this process tells the job store its slicers are alive (the slicer registry). One that missed
    /// three beats counts as gone, and jobs only it could do say that no running slicer can do them.
    /// </summary>
    public TimeSpan RegistryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A create job whose asset would be longer than this many seconds (rounded to whole 4.096 s slices) is cut into
    /// parts that any free slicers encode in parallel (docs/parts.md); 0 never splits. Five minutes by default: long
    /// enough that a part's start-up (reading the shared source, seeking) is noise, short enough that a feature film
    /// makes a part for each of twenty slicers.
    /// </summary>
    [Range(0, 1_000_000)]
    public double PartSeconds { get; set; } = 300;

    /// <summary>The ladder table; rays never exceed the source.</summary>
    public List<RayRung> Ladder { get; set; } = [];

    public IReadOnlyList<RayRung> LadderOrDefault => Ladder.Count > 0 ? Ladder : LadderPlanner.DefaultTable;
}
