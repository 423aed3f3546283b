using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// Parts of a long create job (docs/parts.md): queued under the parent's lease, claimed by anyone (or by the
/// parent's own slicer) only while the parent is assigned, invisible to the owner, cancelled with the parent,
/// retried alone.
/// </summary>
public abstract partial class JobQueueContract
{
    private const string PartAsset = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Parts_are_queued_under_the_parents_lease_in_order_and_the_owner_never_sees_them()
    {
        var queue = await CreateQueueAsync();
        var parent = await ClaimParentAsync(queue);

        var parts = await queue.EnqueuePartsAsync(parent.Lease, Parts(3), Ct);

        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.Equal((JobKind.SlicePart, JobState.Waiting, OwnerA, PartAsset), (p.Kind, p.State, p.Owner, p.Asset)));
        Assert.Equal(["""{"index":0}""", """{"index":1}""", """{"index":2}"""], parts.Select(p => p.SecretsJson));
        Assert.Equal(parts.Select(p => p.Id), (await queue.ListPartsAsync(parent.Job.Id, Ct)).Select(p => p.Id));
        Assert.Equal([parent.Job.Id], (await queue.ListAsync(OwnerA, 50, 0, Ct)).Select(j => j.Id));
        Assert.Null(await queue.GetAsync(OwnerA, parts[0].Id, Ct));
        Assert.IsType<CancelOutcome.NotFound>(await queue.CancelAsync(OwnerA, parts[0].Id, Ct));
    }

    [Fact]
    public async Task A_parent_whose_lease_was_lost_queues_no_parts()
    {
        var queue = await CreateQueueAsync();
        var parent = await ClaimParentAsync(queue);
        Assert.NotNull(await queue.FailAsync(parent.Lease, "boom", Ct));

        Assert.Empty(await queue.EnqueuePartsAsync(parent.Lease, Parts(2), Ct));
        Assert.Empty(await queue.ListPartsAsync(parent.Job.Id, Ct));
    }

    [Fact]
    public async Task Any_slicer_claims_parts_and_the_parents_slicer_claims_only_its_own_jobs_parts()
    {
        var queue = await CreateQueueAsync();
        var parent = await ClaimParentAsync(queue);
        var other = await ClaimParentAsync(queue);   // a second parent, with parts of its own
        var parts = await queue.EnqueuePartsAsync(parent.Lease, Parts(2), Ct);
        var otherParts = await queue.EnqueuePartsAsync(other.Lease, Parts(1), Ct);

        var stolen = await queue.TryClaimPartAsync("slicer-a", parent.Job.Id, Ct);
        var free = await queue.TryClaimAsync("slicer-b", [JobKind.SlicePart], Ct);

        Assert.Equal((parts[0].Id, 1, "slicer-a"), (stolen?.Job.Id, stolen?.Job.Attempts, stolen?.Job.Slicer));
        Assert.Equal(JobState.Assigned, stolen!.Job.State);
        Assert.Contains(free?.Job.Id, new[] { parts[1].Id, otherParts[0].Id });
        var left = free!.Job.Id == parts[1].Id ? otherParts[0] : parts[1];
        Assert.Null(await queue.TryClaimPartAsync("slicer-a", left == parts[1] ? other.Job.Id : parent.Job.Id, Ct));
        Assert.Equal(left.Id, (await queue.TryClaimPartAsync("slicer-a", left == parts[1] ? parent.Job.Id : other.Job.Id, Ct))?.Job.Id);
    }

    [Fact]
    public async Task A_part_waits_while_its_parent_is_not_assigned()
    {
        var queue = await CreateQueueAsync();
        var parent = await ClaimParentAsync(queue);
        var parts = await queue.EnqueuePartsAsync(parent.Lease, Parts(1), Ct);

        Assert.Equal(JobState.Waiting, await queue.FailAsync(parent.Lease, "the parent's slicer failed", Ct));

        Assert.Null(await queue.TryClaimPartAsync("slicer-a", parent.Job.Id, Ct));
        Assert.Null(await queue.TryClaimAsync("slicer-b", [JobKind.SlicePart], Ct));
        Assert.Equal(JobState.Waiting, (await queue.ListPartsAsync(parent.Job.Id, Ct))[0].State);
        Assert.Equal(parts[0].Id, (await queue.ListPartsAsync(parent.Job.Id, Ct))[0].Id);
    }

    [Fact]
    public async Task A_failed_part_is_retried_alone_and_its_parent_stays_assigned()
    {
        var queue = await CreateQueueAsync();
        var parent = await ClaimParentAsync(queue);
        var parts = await queue.EnqueuePartsAsync(parent.Lease, Parts(2), Ct);
        var first = (await queue.TryClaimPartAsync("slicer-b", parent.Job.Id, Ct))!;
        var second = (await queue.TryClaimPartAsync("slicer-a", parent.Job.Id, Ct))!;
        Assert.True(await queue.CompleteAsync(second.Lease, new JobOutput(null), Ct));

        Assert.Equal(JobState.Waiting, await queue.FailAsync(first.Lease, "ffmpeg was killed", Ct));
        var again = await queue.TryClaimPartAsync("slicer-a", parent.Job.Id, Ct);

        Assert.Equal((parts[0].Id, 2), (again?.Job.Id, again?.Job.Attempts));
        var stored = await queue.ListPartsAsync(parent.Job.Id, Ct);
        Assert.Equal([JobState.Assigned, JobState.Done], stored.Select(p => p.State));
        Assert.Equal(PartAsset, stored[1].Asset);   // a part's output keeps the asset it works on
        Assert.Equal(LeaseStatus.Held, await queue.HeartbeatAsync(parent.Lease, new JobProgress("Slicing 50%", 50), Ct));
    }

    [Fact]
    public async Task Cancelling_the_parent_cancels_every_part_and_signals_the_assigned_ones()
    {
        var queue = await CreateQueueAsync();
        var parent = await ClaimParentAsync(queue);
        var parts = await queue.EnqueuePartsAsync(parent.Lease, Parts(3), Ct);
        var running = (await queue.TryClaimPartAsync("slicer-b", parent.Job.Id, Ct))!;
        var done = (await queue.TryClaimPartAsync("slicer-b", parent.Job.Id, Ct))!;
        Assert.True(await queue.CompleteAsync(done.Lease, new JobOutput(null), Ct));
        var signalled = false;
        using var registration = Signals.OnCancelled(running.Job.Id, () => signalled = true);

        var outcome = await queue.CancelAsync(OwnerA, parent.Job.Id, Ct);

        Assert.Equal(parent.Job.Id, Assert.IsType<CancelOutcome.Cancelled>(outcome).Job.Id);
        Assert.True(signalled);
        Assert.Equal([JobState.Cancelled, JobState.Done, JobState.Cancelled], (await queue.ListPartsAsync(parent.Job.Id, Ct)).Select(p => p.State));
        Assert.Equal(LeaseStatus.CancelRequested, await queue.HeartbeatAsync(running.Lease, new JobProgress("Slicing 10%", 10), Ct));
        Assert.Equal(parts[2].Id, (await queue.ListPartsAsync(parent.Job.Id, Ct))[2].Id);
    }

    [Fact]
    public async Task The_parents_slicer_cancels_its_parts_only_while_its_lease_holds()
    {
        var queue = await CreateQueueAsync();
        var parent = await ClaimParentAsync(queue);
        await queue.EnqueuePartsAsync(parent.Lease, Parts(2), Ct);
        var running = (await queue.TryClaimPartAsync("slicer-b", parent.Job.Id, Ct))!;

        Assert.Equal(2, await queue.CancelPartsAsync(parent.Lease, Ct));
        Assert.Equal(LeaseStatus.CancelRequested, await queue.HeartbeatAsync(running.Lease, new JobProgress("Slicing 10%", 10), Ct));
        Assert.Equal(JobState.Assigned, (await queue.GetAsync(OwnerA, parent.Job.Id, Ct))!.State);

        // A later attempt's parts are safe from an earlier attempt's slicer.
        Assert.NotNull(await queue.FailAsync(parent.Lease, "boom", Ct));
        var retried = (await queue.TryClaimAsync("slicer-a", [JobKind.Create], Ct))!;
        await queue.EnqueuePartsAsync(retried.Lease, Parts(1), Ct);
        Assert.Equal(0, await queue.CancelPartsAsync(parent.Lease, Ct));
        Assert.Equal(JobState.Waiting, (await queue.ListPartsAsync(parent.Job.Id, Ct))[^1].State);
    }

    [Fact]
    public async Task Parts_of_a_parent_that_ended_are_erased_and_a_running_parents_are_kept()
    {
        var queue = await CreateQueueAsync();
        var ended = await ClaimParentAsync(queue);
        await queue.EnqueuePartsAsync(ended.Lease, Parts(2), Ct);
        Assert.True(await queue.FailPermanentlyAsync(ended.Lease, "the source is gone", Ct));
        var running = (await queue.TryClaimAsync("slicer-a", [JobKind.Create], Ct)) ?? await ClaimParentAsync(queue);
        await queue.EnqueuePartsAsync(running.Lease, Parts(1), Ct);

        await queue.EraseFinishedAsync(Ct);

        Assert.Empty(await queue.ListPartsAsync(ended.Job.Id, Ct));
        Assert.Single(await queue.ListPartsAsync(running.Job.Id, Ct));
    }

    private static async Task<ClaimedJob> ClaimParentAsync(IJobQueue queue)
    {
        await EnqueueAsync(queue, OwnerA);
        return (await queue.TryClaimAsync("slicer-a", [JobKind.Create], Ct))!;
    }

    private static List<NewJob> Parts(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new NewJob(OwnerA, JobKind.SlicePart, "{}", "{}", $$"""{"index":{{i}}}""", PartAsset))];
}
