using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Core.Tests.Jobs;

public class JobLifecycleTests
{
    // The whole table, all 25 pairs: adding or removing an edge is a visible diff here.
    private static readonly HashSet<(JobState, JobState)> Expected =
    [
        (JobState.Waiting, JobState.Assigned),
        (JobState.Assigned, JobState.Done),
        (JobState.Assigned, JobState.Waiting),
        (JobState.Assigned, JobState.Error),
        (JobState.Waiting, JobState.Cancelled),
        (JobState.Assigned, JobState.Cancelled),
    ];

    public static TheoryData<JobState, JobState> AllPairs()
    {
        var data = new TheoryData<JobState, JobState>();
        foreach (var from in Enum.GetValues<JobState>())
        {
            foreach (var to in Enum.GetValues<JobState>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Only_the_documented_edges_are_legal(JobState from, JobState to) =>
        Assert.Equal(Expected.Contains((from, to)), JobLifecycle.CanMove(from, to));

    [Theory]
    [InlineData(JobState.Waiting, false, true, true)]
    [InlineData(JobState.Assigned, false, true, false)]
    [InlineData(JobState.Done, true, false, true)]
    [InlineData(JobState.Error, true, false, true)]
    [InlineData(JobState.Cancelled, true, false, true)]
    public void Finished_cancel_and_delete_rules_follow_the_protocol(JobState state, bool finished, bool cancel, bool delete)
    {
        Assert.Equal(finished, state.IsFinished());
        Assert.Equal(cancel, state.CanCancel());
        Assert.Equal(delete, state.CanDelete());
    }

    [Theory]
    [InlineData(JobState.Waiting, "waiting")]
    [InlineData(JobState.Assigned, "assigned")]
    [InlineData(JobState.Done, "done")]
    [InlineData(JobState.Error, "error")]
    [InlineData(JobState.Cancelled, "cancelled")]
    public void Wire_names_are_the_protocols_and_round_trip(JobState state, string wire)
    {
        Assert.Equal(wire, state.ToWire());
        Assert.Equal(state, JobLifecycle.ParseWire(wire));
    }

    [Fact]
    public void Unknown_wire_state_is_refused() =>
        Assert.Throws<FormatException>(() => JobLifecycle.ParseWire("running"));
}
