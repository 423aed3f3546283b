using System.Text.Json.Nodes;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Slicer.Notifications;
using CloudSlicer.Slicer.Sources;
using CloudSlicer.Slicer.Tests.Sources;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Notifications;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Sqlite;
using CloudSlicer.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Tests.Notifications;

/// <summary>
/// Delivery against a real loopback receiver, from a real SQLite outbox. Retry waits pass on the fake clock;
/// each <see cref="NotificationDelivery.DeliverNextAsync"/> is one claim-and-send, so the schedule is exact.
/// </summary>
public sealed class NotificationDeliveryTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _clock = new();
    private SqliteDatabase _db = null!;
    private SqliteJobQueue _queue = null!;
    private SqliteNotificationOutbox _outbox = null!;
    private SqliteOwnerStore _owners = null!;
    private NotificationReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _db = new SqliteDatabase(_data.File("cloudslicer.db"));
        _queue = new SqliteJobQueue(_db, _clock, Options.Create(new QueueOptions { MaxAttempts = 1 }), new JobSignals());
        _outbox = new SqliteNotificationOutbox(_db, _clock);
        _owners = new SqliteOwnerStore(_db, _clock);
        _receiver = await NotificationReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _db.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Done_is_retried_on_500s_until_the_receiver_takes_it_and_arrives_as_a_signed_Slicebot_form()
    {
        var (owner, firstKey) = await _owners.AddOwnerAsync("o", Ct);
        var secondKey = (await _owners.AddKeyAsync(owner, Ct))!.Secret;   // mid-rotation: both keys sign
        var job = await FinishJobAsync(owner, new JsonObject
        {
            ["done_url"] = _receiver.Url("/hooks/done?token=abc&x=1"),
            ["notify_retries"] = "3",
            ["notify_retry_wait"] = "10",
            ["external_id"] = "ext-7",
            ["desc"] = "A clip",
        });
        _receiver.FailRemaining = 2;
        var delivery = Delivery(Fetchers.Private());

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.True(await delivery.DeliverNextAsync(Ct));
            Assert.Equal(attempt, _receiver.Received.Count);
            Assert.False(await delivery.DeliverNextAsync(Ct));   // the next try waits notify_retry_wait
            _clock.Advance(TimeSpan.FromSeconds(10));
        }

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.False(await delivery.DeliverNextAsync(Ct));   // answered: never sent again
        Assert.Equal([500, 500, 200], _receiver.Received.Select(r => r.Answered));
        var row = Assert.Single(await _outbox.ListForJobAsync(job.Id, Ct));
        Assert.Equal((NotificationState.Delivered, 3), (row.State, row.Attempts));

        var post = _receiver.Received[^1];
        Assert.Equal(("POST", "/hooks/done", ""), (post.Method, post.Path, post.Query));
        Assert.StartsWith("application/x-www-form-urlencoded", post.ContentType, StringComparison.Ordinal);
        Assert.Equal("CloudSlicer/1.0 (notifications)", post.UserAgent);
        var form = post.Form;
        Assert.Equal("abc", form["token"]);
        Assert.Equal("1", form["x"]);
        Assert.Equal("clip 1.mp4", form["filename"]);
        Assert.Equal("fedcba9876543210fedcba9876543210", form["asset_id"]);
        Assert.Equal("ext-7", form["external_id"]);
        Assert.Equal("A clip", form["description"]);
        Assert.Equal("ok", form["status"]);
        Assert.False(form.ContainsKey("error"));
        Assert.True(post.SignedWith(firstKey));
        Assert.True(post.SignedWith(secondKey));
        Assert.False(post.SignedWith("not-the-key"));
    }

    [Fact]
    public async Task A_disabled_key_no_longer_signs()
    {
        var (owner, oldKey) = await _owners.AddOwnerAsync("o", Ct);
        var newKey = (await _owners.AddKeyAsync(owner, Ct))!.Secret;
        Assert.True(await _owners.DisableKeyAsync(owner, oldKey, Ct));
        await FinishJobAsync(owner, new JsonObject { ["done_url"] = _receiver.Url("/d") });

        Assert.True(await Delivery(Fetchers.Private()).DeliverNextAsync(Ct));

        Assert.True(_receiver.Received[0].SignedWith(newKey));
        Assert.False(_receiver.Received[0].SignedWith(oldKey));
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_given_up_after_its_retries()
    {
        var (owner, _) = await _owners.AddOwnerAsync("o", Ct);
        var job = await FinishJobAsync(owner, new JsonObject { ["done_url"] = _receiver.Url("/d"), ["notify_retries"] = 1, ["notify_retry_wait"] = 1 });
        _receiver.FailRemaining = int.MaxValue;
        var delivery = Delivery(Fetchers.Private());

        while (await delivery.DeliverNextAsync(Ct) || _receiver.Received.Count < 2)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.False(await delivery.DeliverNextAsync(Ct));
        Assert.Equal(2, _receiver.Received.Count);   // one try and one retry
        var row = Assert.Single(await _outbox.ListForJobAsync(job.Id, Ct));
        Assert.Equal(NotificationState.Failed, row.State);
        Assert.EndsWith("/d answered HTTP 500", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_loopback_receiver_is_refused_by_the_guard_at_once_without_retries_or_its_query_in_the_error()
    {
        var (owner, _) = await _owners.AddOwnerAsync("o", Ct);
        var job = await FinishJobAsync(owner, new JsonObject { ["done_url"] = _receiver.Url("/d?token=s3cr3t"), ["notify_retries"] = 10 });
        var delivery = Delivery(Fetchers.Create());   // the guard on, as a public service runs

        Assert.True(await delivery.DeliverNextAsync(Ct));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.False(await delivery.DeliverNextAsync(Ct));

        Assert.Empty(_receiver.Received);
        var row = Assert.Single(await _outbox.ListForJobAsync(job.Id, Ct));
        Assert.Equal((NotificationState.Failed, 1), (row.State, row.Attempts));
        Assert.StartsWith("Refused to fetch http://127.0.0.1:", row.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_is_a_failed_try_and_is_not_followed()
    {
        var (owner, _) = await _owners.AddOwnerAsync("o", Ct);
        var job = await FinishJobAsync(owner, new JsonObject { ["done_url"] = _receiver.Url("/moved"), ["notify_retries"] = 0 });

        Assert.True(await Delivery(Fetchers.Private()).DeliverNextAsync(Ct));

        Assert.Equal(["/moved"], _receiver.Received.Select(r => r.Path));
        var row = Assert.Single(await _outbox.ListForJobAsync(job.Id, Ct));
        Assert.Equal((NotificationState.Failed, 1), (row.State, row.Attempts));
        Assert.EndsWith("answered HTTP 307", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hosted_sender_delivers_start_and_done_of_a_job_on_its_own()
    {
        var (owner, _) = await _owners.AddOwnerAsync("o", Ct);
        await FinishJobAsync(owner, new JsonObject { ["start_url"] = _receiver.Url("/start"), ["done_url"] = _receiver.Url("/done") });
        var delivery = Delivery(Fetchers.Private());

        await delivery.StartAsync(Ct);
        try
        {
            await Eventually.UntilAsync(() => Task.FromResult(_receiver.Accepted.Count), n => n == 2, TimeSpan.FromSeconds(30), "start and done");
        }
        finally
        {
            await delivery.StopAsync(Ct);
        }

        Assert.Equal(["/done", "/start"], _receiver.Accepted.Select(r => r.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_send_cut_short_by_a_clean_stop_is_handed_back_due_at_once_and_uncounted()
    {
        var (owner, _) = await _owners.AddOwnerAsync("o", Ct);
        var job = await FinishJobAsync(owner, new JsonObject { ["done_url"] = _receiver.Url("/stall") });
        var delivery = Delivery(Fetchers.Private());

        await delivery.StartAsync(Ct);
        await Eventually.UntilAsync(() => Task.FromResult(_receiver.Received.Count), n => n == 1, TimeSpan.FromSeconds(30), "the stalled send");
        await delivery.StopAsync(Ct);

        var row = Assert.Single(await _outbox.ListForJobAsync(job.Id, Ct));
        Assert.Equal((NotificationState.Pending, 0), (row.State, row.Attempts));
        Assert.NotNull(await _outbox.TryClaimAsync(TimeSpan.FromSeconds(30), Ct));   // no lease left to wait out
    }

    private NotificationDelivery Delivery(SourceFetcher fetcher) =>
        new(_outbox, _owners, fetcher, Options.Create(new NotificationOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(50),
            Timeout = TimeSpan.FromSeconds(10),
            LeaseDuration = TimeSpan.FromSeconds(30),
        }), _clock, NullLogger<NotificationDelivery>.Instance);

    private async Task<Job> FinishJobAsync(string owner, JsonObject args)
    {
        var job = await _queue.EnqueueAsync(
            new NewJob(owner, JobKind.Create, args.ToJsonString(), """{"url": "https://media.example/videos/clip%201.mp4"}"""), Ct);
        var claim = (await _queue.TryClaimAsync("slicer", Ct))!;
        Assert.True(await _queue.CompleteAsync(claim.Lease, new JobOutput("fedcba9876543210fedcba9876543210"), Ct));
        return job;
    }
}
