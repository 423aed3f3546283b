using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// Batches (<c>/batch/copy-from-library</c>): a batch and all its jobs are queued at once or not at all; its states
/// are read from its jobs, so they follow every move of a job; only its owner finds it; a deleted job leaves it.
/// </summary>
public abstract partial class JobQueueContract
{
    private const string Copied = "fedcba9876543210fedcba9876543210";

    [Fact]
    public async Task A_batch_queues_each_of_its_jobs_and_lists_them_waiting_in_the_order_given()
    {
        var queue = await CreateQueueAsync();
        var batch = Core.Ids.New();
        var assets = new[] { Core.Ids.New(), Core.Ids.New(), Core.Ids.New() };

        var jobs = await queue.EnqueueBatchAsync(OwnerA, batch, Entries(OwnerA, assets), Ct);

        Assert.Equal(3, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((JobState.Waiting, JobKind.CopyFromLibrary, OwnerA), (j.State, j.Kind, j.Owner)));
        Assert.Equal(jobs.Select(j => j.Id), (await queue.ListAsync(OwnerA, 50, 0, Ct)).Select(j => j.Id).Reverse());
        Assert.Equal(
            assets.Zip(jobs, (asset, job) => new BatchJobState(asset, job.Id, JobState.Waiting, null)),
            await queue.GetBatchAsync(OwnerA, batch, Ct));
    }

    [Fact]
    public async Task A_batch_whose_last_job_cannot_be_stored_queues_nothing()
    {
        var queue = await CreateQueueAsync();
        var batch = Core.Ids.New();
        var entries = Entries(OwnerA, [Core.Ids.New(), Core.Ids.New()]).ToList();
        entries.Add(new BatchEntry(new NewJob(null!, JobKind.CopyFromLibrary, "{}", "{}"), Core.Ids.New()));   // no owner: the store refuses it

        await Assert.ThrowsAnyAsync<Exception>(() => queue.EnqueueBatchAsync(OwnerA, batch, entries, Ct));

        Assert.Empty(await queue.ListAsync(OwnerA, 50, 0, Ct));
        Assert.Null(await queue.GetBatchAsync(OwnerA, batch, Ct));
        Assert.Null(await queue.TryClaimAsync("slicer-a", Ct));
    }

    [Fact]
    public async Task A_batchs_states_are_its_jobs_states_and_a_done_job_shows_the_asset_it_made()
    {
        var queue = await CreateQueueAsync();
        var batch = Core.Ids.New();
        var assets = new[] { Core.Ids.New(), Core.Ids.New(), Core.Ids.New(), Core.Ids.New() };
        var jobs = await queue.EnqueueBatchAsync(OwnerA, batch, Entries(OwnerA, assets), Ct);

        var first = (await queue.TryClaimAsync("slicer-a", Ct))!;
        Assert.True(await queue.CompleteAsync(first.Lease, new JobOutput(Copied), Ct));
        var second = (await queue.TryClaimAsync("slicer-a", Ct))!;
        Assert.True(await queue.FailPermanentlyAsync(second.Lease, "Asset is no longer shared with you", Ct));
        Assert.NotNull(await queue.TryClaimAsync("slicer-a", Ct));   // the third is assigned
        Assert.IsType<CancelOutcome.Cancelled>(await queue.CancelAsync(OwnerA, jobs[3].Id, Ct));

        Assert.Equal(
            [
                new BatchJobState(assets[0], jobs[0].Id, JobState.Done, Copied),
                new BatchJobState(assets[1], jobs[1].Id, JobState.Error, null),
                new BatchJobState(assets[2], jobs[2].Id, JobState.Assigned, null),
                new BatchJobState(assets[3], jobs[3].Id, JobState.Cancelled, null),
            ],
            await queue.GetBatchAsync(OwnerA, batch, Ct));
    }

    [Fact]
    public async Task Another_owners_batch_and_an_unknown_batch_are_not_found()
    {
        var queue = await CreateQueueAsync();
        var batch = Core.Ids.New();
        await queue.EnqueueBatchAsync(OwnerA, batch, Entries(OwnerA, [Core.Ids.New()]), Ct);

        Assert.Null(await queue.GetBatchAsync(OwnerB, batch, Ct));
        Assert.Null(await queue.GetBatchAsync(OwnerA, Core.Ids.New(), Ct));
        Assert.Single((await queue.GetBatchAsync(OwnerA, batch, Ct))!);
    }

    [Fact]
    public async Task A_deleted_job_leaves_its_batch_and_retention_erases_a_batch_with_its_last_job()
    {
        var queue = await CreateQueueAsync();
        var batch = Core.Ids.New();
        var assets = new[] { Core.Ids.New(), Core.Ids.New() };
        var jobs = await queue.EnqueueBatchAsync(OwnerA, batch, Entries(OwnerA, assets), Ct);

        Assert.Equal(DeleteOutcome.Deleted, await queue.DeleteAsync(OwnerA, jobs[0].Id, Ct));
        Assert.Equal([new BatchJobState(assets[1], jobs[1].Id, JobState.Waiting, null)], await queue.GetBatchAsync(OwnerA, batch, Ct));

        // Retention erases the other once it is finished, and the batch with it: a batch lives as long as its jobs.
        await queue.CompleteAsync((await queue.TryClaimAsync("slicer-a", Ct))!.Lease, new JobOutput(Copied), Ct);
        Clock.Advance(Options.Retention + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await queue.EraseFinishedAsync(Ct));
        Assert.Null(await queue.GetBatchAsync(OwnerA, batch, Ct));
    }

    private static List<BatchEntry> Entries(string owner, IEnumerable<string> assets) =>
        [.. assets.Select(asset => new BatchEntry(new NewJob(owner, JobKind.CopyFromLibrary, "{}", $$"""{"beam_id":"{{asset}}"}"""), asset))];
}
