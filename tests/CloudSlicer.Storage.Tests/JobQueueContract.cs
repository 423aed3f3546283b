using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// What every <see cref="IJobQueue"/> must do, whatever the database. A backend's test class derives from
/// this and opens a queue on a fresh store per test (xunit makes one instance per test). Time moves only
/// through <see cref="Clock"/>; concurrency tests use real tasks. Claims, leases and failures are here;
/// the owner-facing verbs, retention and durability are in JobQueueContract.OwnerVerbs.cs.
/// </summary>
public abstract partial class JobQueueContract
{
    protected const string OwnerA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    protected const string OwnerB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    protected FakeTimeProvider Clock { get; } = new();

    protected JobSignals Signals { get; } = new();

    protected QueueOptions Options { get; } = new()
    {
        MaxAttempts = 3,
        LeaseDuration = TimeSpan.FromSeconds(30),
        RetryDelay = TimeSpan.Zero,   // most tests retry at once; Failed_attempts_back_off_* sets a delay
        Retention = TimeSpan.FromHours(72),
    };

    // xunit 2 has no per-test token; nothing here should block, and SQLite calls are synchronous anyway.
    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>Opens a queue on a fresh, empty store that uses <see cref="Clock"/>, <see cref="Signals"/> and <see cref="Options"/>.</summary>
    protected abstract Task<IJobQueue> CreateQueueAsync();

    /// <summary>Drops every connection of the current queue and opens a new one on the same store, as a restart would.</summary>
    protected abstract Task<IJobQueue> ReopenQueueAsync();

    [Fact]
    public async Task Enqueued_job_is_waiting_and_keeps_what_was_given()
    {
        var queue = await CreateQueueAsync();
        var job = await queue.EnqueueAsync(
            new NewJob(OwnerA, JobKind.Create, """{"max_slices":"3"}""", """{"url":"https://example.com/a.mp4"}""", """{"api_secret":"s"}"""), Ct);

        Assert.True(Core.Ids.IsValid(job.Id));
        Assert.Equal(JobState.Waiting, job.State);
        Assert.Equal(Millis(), job.Created);
        Assert.Equal((0, 0L, 0L, "", (string?)null), (job.Attempts, job.LastStart, job.Finished, job.LastError, job.Asset));
        var stored = await queue.GetAsync(OwnerA, job.Id, Ct);
        Assert.Equal(job, stored);
        Assert.Equal("""{"api_secret":"s"}""", stored!.SecretsJson);
        Assert.Equal(JobKind.Create, stored.Kind);
    }

    [Fact]
    public async Task Claim_returns_null_when_nothing_waits()
    {
        var queue = await CreateQueueAsync();
        Assert.Null(await queue.TryClaimAsync("slicer-a", Ct));
    }

    [Fact]
    public async Task A_slicer_claims_only_the_kinds_it_can_do_and_others_wait_unspent()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);

        // A slicer with no handler for the job's kind (here: none at all) leaves it alone.
        Assert.Null(await queue.TryClaimAsync("slicer-without-handlers", [], Ct));
        var waiting = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
        Assert.Equal((JobState.Waiting, 0, ""), (waiting.State, waiting.Attempts, waiting.LastError));

        var claimed = await queue.TryClaimAsync("slicer-a", [JobKind.Create], Ct);
        Assert.Equal((job.Id, 1), (claimed?.Job.Id, claimed?.Job.Attempts));
    }

    [Fact]
    public async Task Claims_oldest_waiting_job_first()
    {
        var queue = await CreateQueueAsync();
        var first = await EnqueueAsync(queue, OwnerA);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await EnqueueAsync(queue, OwnerA);

        Assert.Equal(first.Id, (await queue.TryClaimAsync("slicer-a", Ct))!.Job.Id);
        Assert.Equal(second.Id, (await queue.TryClaimAsync("slicer-a", Ct))!.Job.Id);
        Assert.Null(await queue.TryClaimAsync("slicer-a", Ct));
    }

    [Fact]
    public async Task Jobs_created_in_the_same_millisecond_are_claimed_in_creation_order()
    {
        var queue = await CreateQueueAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await EnqueueAsync(queue, OwnerA)).Id);
        }

        var claimed = new List<string>();
        while (await queue.TryClaimAsync("slicer-a", Ct) is { } claim)
        {
            claimed.Add(claim.Job.Id);
        }

        Assert.Equal(ids, claimed);
    }

    [Fact]
    public async Task Owner_with_fewer_running_jobs_is_served_first()
    {
        var queue = await CreateQueueAsync();
        await EnqueueAsync(queue, OwnerA);
        Assert.NotNull(await queue.TryClaimAsync("slicer-a", Ct));   // A now has one assigned job
        var aWaiting = new List<Job>();
        for (var i = 0; i < 5; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            aWaiting.Add(await EnqueueAsync(queue, OwnerA));
        }

        Clock.Advance(TimeSpan.FromSeconds(1));
        var bJob = await EnqueueAsync(queue, OwnerB);

        Assert.Equal(bJob.Id, (await queue.TryClaimAsync("slicer-b", Ct))!.Job.Id);
        // Now both owners have one assigned job: back to oldest first.
        Assert.Equal(aWaiting[0].Id, (await queue.TryClaimAsync("slicer-c", Ct))!.Job.Id);
    }

    [Fact]
    public async Task Concurrent_slicers_claim_every_job_exactly_once()
    {
        var queue = await CreateQueueAsync();
        for (var i = 0; i < 20; i++)
        {
            await EnqueueAsync(queue, i % 2 == 0 ? OwnerA : OwnerB);
        }

        var claimers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await queue.TryClaimAsync($"slicer-{n}", Ct) is { } claim)
            {
                mine.Add(claim.Job.Id);
            }

            return mine;
        }));
        var claimed = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        Assert.Equal(20, claimed.Count);
        Assert.Equal(20, claimed.Distinct().Count());
        Assert.All(await queue.ListAsync(OwnerA, 50, 0, Ct), job => Assert.Equal(JobState.Assigned, job.State));
    }

    [Fact]
    public async Task Claim_counts_the_attempt_and_records_its_start_and_slicer()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        Clock.Advance(TimeSpan.FromMinutes(2));

        var claim = await queue.TryClaimAsync("slicer-a", Ct);

        Assert.NotNull(claim);
        Assert.Equal(new Lease(job.Id, claim.Lease.Token, "slicer-a"), claim.Lease);
        Assert.False(string.IsNullOrEmpty(claim.Lease.Token));
        Assert.Equal(JobState.Assigned, claim.Job.State);
        Assert.Equal(1, claim.Job.Attempts);
        Assert.Equal(Millis(), claim.Job.LastStart);
        Assert.Equal("slicer-a", claim.Job.Slicer);
        Assert.Equal(claim.Job, await queue.GetAsync(OwnerA, job.Id, Ct));
    }

    [Fact]
    public async Task Heartbeat_renews_the_lease_and_records_progress()
    {
        var queue = await CreateQueueAsync();
        await EnqueueAsync(queue, OwnerA);
        var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;

        // Two heartbeats, each just inside the lease, carry the job past one lease length.
        for (var i = 0; i < 2; i++)
        {
            Clock.Advance(Options.LeaseDuration - TimeSpan.FromSeconds(1));
            Assert.Equal(LeaseStatus.Held, await queue.HeartbeatAsync(claim.Lease, new JobProgress("Slicing 42%", 42), Ct));
        }

        Clock.Advance(Options.LeaseDuration - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await queue.ReapExpiredLeasesAsync(Ct));
        var job = await queue.GetAsync(OwnerA, claim.Job.Id, Ct);
        Assert.Equal((JobState.Assigned, "Slicing 42%", 42), (job!.State, job.Progress, job.Percent));
    }

    [Fact]
    public async Task Heartbeat_after_the_lease_expired_and_was_reaped_reports_lost()
    {
        var queue = await CreateQueueAsync();
        await EnqueueAsync(queue, OwnerA);
        var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;
        Clock.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));

        Assert.Equal(1, await queue.ReapExpiredLeasesAsync(Ct));

        Assert.Equal(LeaseStatus.Lost, await queue.HeartbeatAsync(claim.Lease, new JobProgress("Slicing 50%", 50), Ct));
        var job = await queue.GetAsync(OwnerA, claim.Job.Id, Ct);
        Assert.Equal((JobState.Waiting, 1), (job!.State, job.Attempts));
        Assert.Contains("lease", job.LastError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Slicer_whose_lease_was_taken_over_is_fenced_out()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        var first = (await queue.TryClaimAsync("slicer-a", Ct))!;
        Clock.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));
        await queue.ReapExpiredLeasesAsync(Ct);
        var second = (await queue.TryClaimAsync("slicer-b", Ct))!;
        Assert.Equal(job.Id, second.Job.Id);
        Assert.Equal(2, second.Job.Attempts);

        Assert.Equal(LeaseStatus.Lost, await queue.HeartbeatAsync(first.Lease, new JobProgress("Slicing 99%", 99), Ct));
        Assert.False(await queue.CompleteAsync(first.Lease, new JobOutput("stale-asset"), Ct));
        Assert.Null(await queue.FailAsync(first.Lease, "stale failure", Ct));

        Assert.Equal(LeaseStatus.Held, await queue.HeartbeatAsync(second.Lease, new JobProgress("Slicing 10%", 10), Ct));
        Assert.True(await queue.CompleteAsync(second.Lease, new JobOutput("fresh-asset"), Ct));
        var done = await queue.GetAsync(OwnerA, job.Id, Ct);
        Assert.Equal((JobState.Done, "fresh-asset", Millis(), 100), (done!.State, done.Asset, done.Finished, done.Percent));
        Assert.False(await queue.CompleteAsync(second.Lease, new JobOutput("again"), Ct));
    }

    [Fact]
    public async Task Released_job_goes_back_to_waiting_without_spending_an_attempt_and_the_old_lease_is_fenced()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);
        var first = (await queue.TryClaimAsync("slicer-a", Ct))!;

        Assert.True(await queue.ReleaseAsync(first.Lease, Ct));
        var stored = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
        Assert.Equal((JobState.Waiting, 0), (stored.State, stored.Attempts));
        Assert.False(await queue.ReleaseAsync(first.Lease, Ct));
        Assert.False(await queue.CompleteAsync(first.Lease, new JobOutput("x"), Ct));

        var second = (await queue.TryClaimAsync("slicer-b", Ct))!;
        Assert.Equal((job.Id, 1), (second.Job.Id, second.Job.Attempts));
    }

    [Fact]
    public async Task Failed_attempts_back_off_doubling_up_to_the_maximum_delay()
    {
        Options.RetryDelay = TimeSpan.FromSeconds(10);
        Options.MaxRetryDelay = TimeSpan.FromSeconds(15);
        Options.MaxAttempts = 5;
        var queue = await CreateQueueAsync();
        await EnqueueAsync(queue, OwnerA);

        foreach (var delay in new[] { 10, 15, 15 })   // 10 s, then 20 s capped at 15 s
        {
            var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;
            Assert.Equal(JobState.Waiting, await queue.FailAsync(claim.Lease, "source server down", Ct));
            Clock.Advance(TimeSpan.FromSeconds(delay) - TimeSpan.FromMilliseconds(1));
            Assert.Null(await queue.TryClaimAsync("slicer-a", Ct));
            Clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.NotNull(await queue.TryClaimAsync("slicer-a", Ct));
    }

    [Fact]
    public async Task Failed_job_returns_to_waiting_until_attempts_are_exhausted_then_errors()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);

        for (var attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            Clock.Advance(TimeSpan.FromSeconds(10));
            var claim = (await queue.TryClaimAsync("slicer-a", Ct))!;
            Assert.Equal(attempt, claim.Job.Attempts);
            var state = await queue.FailAsync(claim.Lease, $"ffmpeg exited with code {attempt}", Ct);

            var stored = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
            Assert.Equal($"ffmpeg exited with code {attempt}", stored.LastError);
            if (attempt < Options.MaxAttempts)
            {
                Assert.Equal(JobState.Waiting, state);
                Assert.Equal((JobState.Waiting, 0L), (stored.State, stored.Finished));
            }
            else
            {
                Assert.Equal(JobState.Error, state);
                Assert.Equal((JobState.Error, Millis(), attempt), (stored.State, stored.Finished, stored.Attempts));
            }
        }

        Assert.Null(await queue.TryClaimAsync("slicer-a", Ct));
    }

    [Fact]
    public async Task Expired_lease_on_the_last_attempt_errors_the_job()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);

        for (var attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            Assert.NotNull(await queue.TryClaimAsync("slicer-a", Ct));
            Clock.Advance(Options.LeaseDuration + TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, await queue.ReapExpiredLeasesAsync(Ct));
        }

        var stored = (await queue.GetAsync(OwnerA, job.Id, Ct))!;
        Assert.Equal((JobState.Error, Options.MaxAttempts, Millis()), (stored.State, stored.Attempts, stored.Finished));
        Assert.Contains("lease", stored.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await queue.TryClaimAsync("slicer-a", Ct));
        Assert.Equal(0, await queue.ReapExpiredLeasesAsync(Ct));
    }

    [Fact]
    public async Task Lease_is_not_reaped_before_it_expires()
    {
        var queue = await CreateQueueAsync();
        await EnqueueAsync(queue, OwnerA);
        await queue.TryClaimAsync("slicer-a", Ct);
        Clock.Advance(Options.LeaseDuration);

        Assert.Equal(0, await queue.ReapExpiredLeasesAsync(Ct));
    }

    protected long Millis() => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    protected static Task<Job> EnqueueAsync(IJobQueue queue, string owner) =>
        queue.EnqueueAsync(new NewJob(owner, JobKind.Create, "{}", """{"url":"https://example.com/source.mp4"}"""), Ct);
}
