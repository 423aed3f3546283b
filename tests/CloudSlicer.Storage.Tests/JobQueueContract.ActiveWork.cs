using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Tests;

/// <summary>The contract's part for endpoints that must not change an asset while a job still makes or changes it.</summary>
public abstract partial class JobQueueContract
{
    private const string BusyAsset = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Active_work_is_a_waiting_or_assigned_job_on_the_asset_or_a_create_job_giving_its_external_id()
    {
        var queue = await CreateQueueAsync();
        var track = await queue.EnqueueAsync(new NewJob(OwnerA, JobKind.AddTrackAudio, "{}", "{}", "{}", BusyAsset), Ct);
        var create = await queue.EnqueueAsync(new NewJob(OwnerA, JobKind.Create, """{"external_id":"_replace:show-1"}""", "{}", "{}"), Ct);

        Assert.Equal(track.Id, (await queue.FindActiveWorkAsync(OwnerA, BusyAsset, null, Ct))?.Id);
        Assert.Equal(create.Id, (await queue.FindActiveWorkAsync(OwnerA, null, "show-1", Ct))?.Id);
        Assert.Null(await queue.FindActiveWorkAsync(OwnerA, null, "show-2", Ct));
        Assert.Null(await queue.FindActiveWorkAsync(OwnerB, BusyAsset, "show-1", Ct));

        Assert.Equal(track.Id, (await queue.TryClaimAsync("slicer-a", Ct))!.Job.Id);
        Assert.Equal(track.Id, (await queue.FindActiveWorkAsync(OwnerA, BusyAsset, null, Ct))?.Id);
        await queue.CancelAsync(OwnerA, track.Id, Ct);
        await queue.CancelAsync(OwnerA, create.Id, Ct);

        Assert.Null(await queue.FindActiveWorkAsync(OwnerA, BusyAsset, "show-1", Ct));
    }
}
