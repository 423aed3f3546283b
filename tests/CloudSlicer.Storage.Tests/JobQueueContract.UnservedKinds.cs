using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// A waiting job whose kind no running slicer can do says so in its progress, and stops saying so once one
/// can; the note never moves a job, spends an attempt, or touches a job that is not waiting.
/// </summary>
public abstract partial class JobQueueContract
{
    private static readonly JobKind[] NoKinds = [];

    [Fact]
    public async Task A_waiting_job_no_live_slicer_can_do_says_so_and_spends_nothing()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);

        Assert.Equal(1, await queue.NoteUnservedKindsAsync(NoKinds, Ct));

        var noted = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
        Assert.Equal(
            (JobState.Waiting, 0, 0L, "", JobTexts.NoSlicerFor(JobKind.Create)),
            (noted.State, noted.Attempts, noted.LastStart, noted.LastError, noted.Progress));
        Assert.Equal(0, await queue.NoteUnservedKindsAsync(NoKinds, Ct));   // already noted: nothing written

        // The note does not hold the job back: a slicer that can do it claims it at once, and says so.
        var claim = await queue.TryClaimAsync("slicer-a", [JobKind.Create], Ct);
        Assert.Equal((job.Id, 1, JobTexts.Starting), (claim?.Job.Id, claim?.Job.Attempts, claim?.Job.Progress));
    }

    [Fact]
    public async Task The_note_goes_away_once_a_live_slicer_can_do_the_job()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        await queue.NoteUnservedKindsAsync(NoKinds, Ct);

        Assert.Equal(1, await queue.NoteUnservedKindsAsync([JobKind.Create], Ct));

        Assert.Equal((JobState.Waiting, 0, ""), Summary(await queue.GetAsync(OwnerA, job.Id, Ct)));
    }

    [Fact]
    public async Task Only_waiting_jobs_get_the_note()
    {
        var queue = await CreateQueueAsync();
        var running = await EnqueueAsync(queue, OwnerA);
        var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;
        await queue.HeartbeatAsync(claim.Lease, new JobProgress("Slicing 40%", 40), Ct);
        var done = await EnqueueAsync(queue, OwnerB);
        await queue.CompleteAsync((await queue.TryClaimAsync("slicer-b", Ct))!.Lease, new JobOutput("fedcba9876543210fedcba9876543210"), Ct);

        Assert.Equal(0, await queue.NoteUnservedKindsAsync(NoKinds, Ct));

        Assert.Equal((JobState.Assigned, 1, "Slicing 40%"), Summary(await queue.GetAsync(OwnerA, running.Id, Ct)));
        Assert.Equal((JobState.Done, 1, JobTexts.Finished), Summary(await queue.GetAsync(OwnerB, done.Id, Ct)));
        Assert.True(await queue.CompleteAsync(claim.Lease, new JobOutput("0123456789abcdef0123456789abcdef"), Ct));   // its lease still holds
    }

    [Fact]
    public async Task A_job_waiting_for_its_retry_is_noted_and_its_retry_time_kept()
    {
        Options.RetryDelay = TimeSpan.FromSeconds(10);
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        await queue.FailAsync((await queue.TryClaimAsync("slicer-a", Ct))!.Lease, "The source answered 503", Ct);

        await queue.NoteUnservedKindsAsync(NoKinds, Ct);

        var noted = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
        Assert.Equal((JobState.Waiting, 1, "The source answered 503"), (noted.State, noted.Attempts, noted.LastError));
        Assert.Null(await queue.TryClaimAsync("slicer-a", Ct));   // the back-off still runs
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(job.Id, (await queue.TryClaimAsync("slicer-a", Ct))?.Job.Id);
    }

    private static (JobState, int, string) Summary(Job? job) => (job!.State, job.Attempts, job.Progress);
}
