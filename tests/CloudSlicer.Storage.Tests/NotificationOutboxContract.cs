using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Notifications;
using CloudSlicer.Testing;

namespace CloudSlicer.Storage.Tests;

/// <summary>
/// What every store's notification outbox must do: rows appear with the job transition that causes them
/// (and only then), one sender at a time holds a row, failures wait and give up on schedule, and a sender
/// whose lease expired cannot settle a row. Time moves only through <see cref="Clock"/>.
/// </summary>
public abstract class NotificationOutboxContract
{
    protected const string Owner = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private const string AllUrls = """
        {"start_url": "https://h.example/start", "done_url": "https://h.example/done?token=t",
         "fail_url": "https://h.example/fail", "notify_retries": "2", "notify_retry_wait": "10", "desc": "d"}
        """;

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    protected FakeTimeProvider Clock { get; } = new();

    protected QueueOptions Options { get; } = new() { MaxAttempts = 2, LeaseDuration = TimeSpan.FromSeconds(30), RetryDelay = TimeSpan.Zero };

    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>A queue and an outbox on one fresh store, using <see cref="Clock"/> and <see cref="Options"/>.</summary>
    protected abstract Task<(IJobQueue Queue, INotificationOutbox Outbox)> CreateAsync();

    [Fact]
    public async Task A_job_without_notification_urls_queues_nothing_through_its_whole_life()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob("""{"desc": "d"}"""), Ct);
        var claim = (await queue.TryClaimAsync("s", Ct))!;
        await queue.CompleteAsync(claim.Lease, new JobOutput("fedcba9876543210fedcba9876543210"), Ct);

        Assert.Empty(await outbox.ListForJobAsync(job.Id, Ct));
        Assert.Null(await outbox.TryClaimAsync(Lease, Ct));
    }

    [Fact]
    public async Task The_first_claim_queues_start_and_completion_queues_done_with_the_asset()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob(AllUrls), Ct);
        Assert.Empty(await outbox.ListForJobAsync(job.Id, Ct));

        var claim = (await queue.TryClaimAsync("s", Ct))!;
        Assert.Equal([NotificationEvent.Start], (await outbox.ListForJobAsync(job.Id, Ct)).Select(n => n.Event));

        Assert.True(await queue.CompleteAsync(claim.Lease, new JobOutput("fedcba9876543210fedcba9876543210"), Ct));
        var done = (await outbox.ListForJobAsync(job.Id, Ct))[^1];
        Assert.Equal((NotificationEvent.Done, NotificationState.Pending, Owner), (done.Event, done.State, done.Owner));
        Assert.Equal("https://h.example/done", done.Url.ToString());
        Assert.StartsWith("token=t&filename=a.mp4&asset_id=fedcba9876543210fedcba9876543210&", done.Body, StringComparison.Ordinal);
        Assert.Equal((0, 3, TimeSpan.FromSeconds(10)), (done.Attempts, done.MaxAttempts, done.RetryWait));
    }

    [Fact]
    public async Task Settings_a_sidecar_added_are_stored_and_notify_a_start_the_claim_could_not()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob("""{"desc": "d"}"""), Ct);
        var claim = (await queue.TryClaimAsync("s", Ct))!;
        Assert.Empty(await outbox.ListForJobAsync(job.Id, Ct));

        Assert.True(await queue.RecordArgsAsync(claim.Lease, AllUrls, Ct));
        Assert.Equal(AllUrls, (await queue.GetAsync(Owner, job.Id, Ct))!.ArgsJson);
        Assert.Equal([NotificationEvent.Start], (await outbox.ListForJobAsync(job.Id, Ct)).Select(n => n.Event));

        // Recording again (a later attempt merges the same sidecar) starts nothing twice; done follows the new args.
        Assert.True(await queue.RecordArgsAsync(claim.Lease, AllUrls, Ct));
        Assert.True(await queue.CompleteAsync(claim.Lease, new JobOutput("fedcba9876543210fedcba9876543210"), Ct));
        Assert.Equal([NotificationEvent.Start, NotificationEvent.Done], (await outbox.ListForJobAsync(job.Id, Ct)).Select(n => n.Event));
    }

    [Fact]
    public async Task Recording_settings_is_fenced_by_the_lease()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob("""{"desc": "d"}"""), Ct);
        var stale = (await queue.TryClaimAsync("s", Ct))!;
        Clock.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));
        await queue.ReapExpiredLeasesAsync(Ct);

        Assert.False(await queue.RecordArgsAsync(stale.Lease, AllUrls, Ct));
        Assert.Equal("""{"desc": "d"}""", (await queue.GetAsync(Owner, job.Id, Ct))!.ArgsJson);
        Assert.Empty(await outbox.ListForJobAsync(job.Id, Ct));
    }

    [Fact]
    public async Task A_fenced_completion_queues_no_done()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob(AllUrls), Ct);
        var claim = (await queue.TryClaimAsync("s", Ct))!;
        Clock.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));
        await queue.ReapExpiredLeasesAsync(Ct);

        Assert.False(await queue.CompleteAsync(claim.Lease, new JobOutput("fedcba9876543210fedcba9876543210"), Ct));
        Assert.DoesNotContain(await outbox.ListForJobAsync(job.Id, Ct), n => n.Event == NotificationEvent.Done);
    }

    [Fact]
    public async Task A_retried_attempt_queues_nothing_and_the_final_one_queues_one_fail_with_its_error()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob(AllUrls), Ct);

        Assert.Equal(JobState.Waiting, await queue.FailAsync((await queue.TryClaimAsync("s", Ct))!.Lease, "first try failed", Ct));
        Assert.Equal([NotificationEvent.Start], (await outbox.ListForJobAsync(job.Id, Ct)).Select(n => n.Event));

        Assert.Equal(JobState.Error, await queue.FailAsync((await queue.TryClaimAsync("s", Ct))!.Lease, "second try failed", Ct));
        var notifications = await outbox.ListForJobAsync(job.Id, Ct);
        Assert.Equal([NotificationEvent.Start, NotificationEvent.Fail], notifications.Select(n => n.Event));
        Assert.Contains("&status=error&error=second+try+failed&", notifications[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permanent_failure_queues_fail_at_once()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob(AllUrls), Ct);
        Assert.True(await queue.FailPermanentlyAsync((await queue.TryClaimAsync("s", Ct))!.Lease, "HTTP 404", Ct));

        Assert.Contains(await outbox.ListForJobAsync(job.Id, Ct), n => n.Event == NotificationEvent.Fail && n.Body.Contains("error=HTTP+404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lease_expiry_that_sends_the_job_to_error_queues_fail()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob(AllUrls), Ct);
        for (var attempt = 0; attempt < Options.MaxAttempts; attempt++)
        {
            Assert.NotNull(await queue.TryClaimAsync("s", Ct));
            Assert.DoesNotContain(await outbox.ListForJobAsync(job.Id, Ct), n => n.Event == NotificationEvent.Fail);
            Clock.Advance(Options.LeaseDuration + TimeSpan.FromSeconds(1));
            await queue.ReapExpiredLeasesAsync(Ct);
        }

        var fail = Assert.Single(await outbox.ListForJobAsync(job.Id, Ct), n => n.Event == NotificationEvent.Fail);
        Assert.Contains("lease+expired", fail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_claimed_again_after_a_clean_release_does_not_start_twice()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob(AllUrls), Ct);
        Assert.True(await queue.ReleaseAsync((await queue.TryClaimAsync("s", Ct))!.Lease, Ct));
        Assert.Equal(1, (await queue.TryClaimAsync("s", Ct))!.Job.Attempts);

        Assert.Single(await outbox.ListForJobAsync(job.Id, Ct));
    }

    [Fact]
    public async Task Only_one_of_many_concurrent_senders_claims_a_row()
    {
        var (queue, outbox) = await CreateAsync();
        await queue.EnqueueAsync(NewJob("""{"start_url": "https://h.example/start"}"""), Ct);
        await queue.TryClaimAsync("s", Ct);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => outbox.TryClaimAsync(Lease, Ct))));

        Assert.Single(claims, c => c is not null);
    }

    [Fact]
    public async Task A_failed_try_waits_its_retry_wait_and_the_row_fails_for_good_after_its_retries()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob("""{"start_url": "https://h.example/s", "notify_retries": "2", "notify_retry_wait": "10"}"""), Ct);
        await queue.TryClaimAsync("s", Ct);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var claim = (await outbox.TryClaimAsync(Lease, Ct))!;
            Assert.Equal(attempt, claim.Notification.Attempts);
            var state = await outbox.MarkFailedAsync(claim.Lease, "HTTP 500", final: false, Ct);
            Assert.Equal(attempt < 3 ? NotificationState.Pending : NotificationState.Failed, state);

            Clock.Advance(TimeSpan.FromSeconds(9));
            Assert.Null(await outbox.TryClaimAsync(Lease, Ct));   // not before the retry wait
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Null(await outbox.TryClaimAsync(Lease, Ct));   // given up: 1 try + 2 retries
        var row = Assert.Single(await outbox.ListForJobAsync(job.Id, Ct));
        Assert.Equal((NotificationState.Failed, 3, "HTTP 500"), (row.State, row.Attempts, row.LastError));
    }

    [Fact]
    public async Task A_refusal_fails_the_row_at_once_whatever_its_retries()
    {
        var (queue, outbox) = await CreateAsync();
        await queue.EnqueueAsync(NewJob("""{"start_url": "https://h.example/s", "notify_retries": "10"}"""), Ct);
        await queue.TryClaimAsync("s", Ct);

        var claim = (await outbox.TryClaimAsync(Lease, Ct))!;
        Assert.Equal(NotificationState.Failed, await outbox.MarkFailedAsync(claim.Lease, "refused", final: true, Ct));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await outbox.TryClaimAsync(Lease, Ct));
    }

    [Fact]
    public async Task A_delivered_row_is_never_sent_again()
    {
        var (queue, outbox) = await CreateAsync();
        await queue.EnqueueAsync(NewJob("""{"start_url": "https://h.example/s"}"""), Ct);
        await queue.TryClaimAsync("s", Ct);

        Assert.True(await outbox.MarkDeliveredAsync((await outbox.TryClaimAsync(Lease, Ct))!.Lease, Ct));
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await outbox.TryClaimAsync(Lease, Ct));
    }

    [Fact]
    public async Task A_sender_whose_lease_expired_cannot_settle_the_row_its_successor_holds()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob("""{"start_url": "https://h.example/s"}"""), Ct);
        await queue.TryClaimAsync("s", Ct);
        var first = (await outbox.TryClaimAsync(Lease, Ct))!;

        Clock.Advance(Lease - TimeSpan.FromMilliseconds(1));
        Assert.Null(await outbox.TryClaimAsync(Lease, Ct));   // still held
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = (await outbox.TryClaimAsync(Lease, Ct))!;   // the first sender died mid-send

        Assert.False(await outbox.MarkDeliveredAsync(first.Lease, Ct));
        Assert.Null(await outbox.MarkFailedAsync(first.Lease, "late", final: true, Ct));
        Assert.True(await outbox.MarkDeliveredAsync(second.Lease, Ct));
        var row = Assert.Single(await outbox.ListForJobAsync(job.Id, Ct));
        Assert.Equal((NotificationState.Delivered, 2), (row.State, row.Attempts));
    }

    [Fact]
    public async Task A_released_row_is_due_at_once_without_its_attempt_counted_and_its_old_lease_is_fenced()
    {
        var (queue, outbox) = await CreateAsync();
        var job = await queue.EnqueueAsync(NewJob("""{"start_url": "https://h.example/s"}"""), Ct);
        await queue.TryClaimAsync("s", Ct);
        var first = (await outbox.TryClaimAsync(Lease, Ct))!;

        Assert.True(await outbox.ReleaseAsync(first.Lease, Ct));
        var again = (await outbox.TryClaimAsync(Lease, Ct))!;   // no lease to wait out

        Assert.Equal(1, again.Notification.Attempts);
        Assert.False(await outbox.ReleaseAsync(first.Lease, Ct));
        Assert.False(await outbox.MarkDeliveredAsync(first.Lease, Ct));
        Assert.True(await outbox.MarkDeliveredAsync(again.Lease, Ct));
        Assert.Equal(NotificationState.Delivered, Assert.Single(await outbox.ListForJobAsync(job.Id, Ct)).State);
    }

    [Fact]
    public async Task Settled_rows_are_erased_after_the_retention_and_pending_ones_kept()
    {
        var (queue, outbox) = await CreateAsync();
        var delivered = await queue.EnqueueAsync(NewJob("""{"start_url": "https://h.example/s"}"""), Ct);
        await queue.TryClaimAsync("s", Ct);
        Assert.True(await outbox.MarkDeliveredAsync((await outbox.TryClaimAsync(Lease, Ct))!.Lease, Ct));
        var pending = await queue.EnqueueAsync(NewJob("""{"start_url": "https://h.example/s"}"""), Ct);
        await queue.TryClaimAsync("s", Ct);

        Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await outbox.EraseSettledAsync(TimeSpan.FromHours(1), Ct));
        Assert.Empty(await outbox.ListForJobAsync(delivered.Id, Ct));
        Assert.Single(await outbox.ListForJobAsync(pending.Id, Ct));
    }

    private static NewJob NewJob(string args) =>
        new(Owner, JobKind.Create, args, """{"url":"https://media.example/a.mp4"}""");
}
