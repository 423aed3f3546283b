using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Tests.Running;

/// <summary>
/// The slicer loop on a real queue with a scripted handler: what it records for each way a job can end, and
/// that output which is no longer the slicer's to publish is discarded.
/// </summary>
public sealed class SlicerServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly QueueOnDisk _store = new();
    private SlicerService? _service;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.StopAsync(CancellationToken.None);
            _service.Dispose();
        }

        _store.Dispose();
    }

    [Fact]
    public async Task A_finished_job_is_recorded_done_with_its_output()
    {
        var handler = new ScriptedHandler();
        await StartAsync(handler);
        var job = await _store.EnqueueAsync();

        Assert.Equal(job.Id, (await handler.Started.WaitAsync(Deadline)).Id);
        handler.Finish(new JobOutput("0dce9166be404672a7dd0d28d7257587"));

        var done = await Eventually.UntilAsync(() => _store.GetAsync(job.Id), j => j.State == JobState.Done, Deadline, "the job to be done");
        Assert.Equal(("0dce9166be404672a7dd0d28d7257587", 1), (done.Asset, done.Attempts));
        Assert.Empty(handler.Discarded);
    }

    [Fact]
    public async Task A_permanent_failure_ends_in_error_after_one_attempt()
    {
        var handler = new ScriptedHandler();
        await StartAsync(handler);
        var job = await _store.EnqueueAsync();
        await handler.Started.WaitAsync(Deadline);

        handler.Fail(new JobFailedException("The .cfg sidecar has a setting that cannot be used") { Permanent = true });

        var failed = await Eventually.UntilAsync(() => _store.GetAsync(job.Id), j => j.State == JobState.Error, Deadline, "the job to fail");
        Assert.Equal((1, "The .cfg sidecar has a setting that cannot be used"), (failed.Attempts, failed.LastError));
    }

    [Fact]
    public async Task Output_finished_after_the_lease_went_to_another_slicer_is_discarded_not_published()
    {
        // The handler ignores its token (a last upload), and heartbeats are too rare to notice the loss first.
        var handler = new ScriptedHandler { IgnoreCancellation = true };
        await StartAsync(handler, heartbeat: TimeSpan.FromMinutes(10));
        var job = await _store.EnqueueAsync();
        await handler.Started.WaitAsync(Deadline);

        _store.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await _store.Queue.ReapExpiredLeasesAsync(CancellationToken.None));
        _store.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(job.Id, (await _store.OtherProcess().TryClaimAsync("other-slicer", CancellationToken.None))?.Job.Id);

        var output = new JobOutput("11111111111111111111111111111111");
        handler.Finish(output);

        await Eventually.UntilAsync(() => Task.FromResult(handler.Discarded.Count), n => n == 1, Deadline, "the fenced output to be discarded");
        Assert.Equal(output, Assert.Single(handler.Discarded));
        var after = await _store.GetAsync(job.Id);
        Assert.Equal((JobState.Assigned, "other-slicer", null), (after.State, after.Slicer, after.Asset));
    }

    [Fact]
    public async Task A_lease_lost_mid_job_stops_the_handler_and_records_nothing()
    {
        var handler = new ScriptedHandler();
        await StartAsync(handler, heartbeat: TimeSpan.FromSeconds(40));
        var job = await _store.EnqueueAsync();
        await handler.Started.WaitAsync(Deadline);

        _store.Clock.Advance(TimeSpan.FromSeconds(31));   // no beat yet: the lease runs out
        Assert.Equal(1, await _store.Queue.ReapExpiredLeasesAsync(CancellationToken.None));
        _store.Clock.Advance(TimeSpan.FromSeconds(9));    // the beat at 40 s finds the job no longer held

        await handler.TokenFired.WaitAsync(Deadline);
        var after = await _store.GetAsync(job.Id);
        Assert.Equal(JobState.Waiting, after.State);
        Assert.Equal(1, after.Attempts);   // the reaped attempt, and nothing written by the stopped slicer
        Assert.Equal(JobTexts.LeaseExpired, after.LastError);
    }

    [Fact]
    public async Task A_cancelled_job_stops_its_handler_and_stays_cancelled()
    {
        var handler = new ScriptedHandler();
        await StartAsync(handler);
        var job = await _store.EnqueueAsync();
        await handler.Started.WaitAsync(Deadline);

        await _store.Queue.CancelAsync(QueueOnDisk.Owner, job.Id, CancellationToken.None);
        await handler.TokenFired.WaitAsync(Deadline);
        Assert.Equal(JobState.Cancelled, (await _store.GetAsync(job.Id)).State);
    }

    [Fact]
    public async Task A_slicer_without_a_handler_for_a_jobs_kind_leaves_it_for_one_that_has()
    {
        // A slicer that can do nothing (no handlers) is woken by the new job and must not spend its attempt.
        await using var idle = await SlicerServiceRun.StartAsync(_store, []);
        var job = await _store.EnqueueAsync();
        _store.Clock.Advance(TimeSpan.FromSeconds(5));   // idle polls pass; the job stays waiting

        var handler = new ScriptedHandler();
        await StartAsync(handler);
        var started = await handler.Started.WaitAsync(Deadline);
        Assert.Equal((job.Id, 1), (started.Id, started.Attempts));
        handler.Finish(new JobOutput(null));
    }

    private async Task StartAsync(ScriptedHandler handler, TimeSpan? heartbeat = null)
    {
        var options = Options.Create(new SlicerOptions
        {
            Count = 1,
            WorkDirectory = Path.Combine(_store.Directory, "work"),
            HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(2),
            IdlePoll = TimeSpan.FromSeconds(2),
        });
        _service = new SlicerService(_store.Queue, _store.Signals, _store.Registry, [handler], options, _store.Clock, NullLogger<SlicerService>.Instance);
        await _service.StartAsync(CancellationToken.None);
    }
}

/// <summary>A second slicer service on the same store, stopped when disposed.</summary>
internal sealed class SlicerServiceRun : IAsyncDisposable
{
    private readonly SlicerService _service;

    private SlicerServiceRun(SlicerService service) => _service = service;

    public static async Task<SlicerServiceRun> StartAsync(QueueOnDisk store, IEnumerable<CloudSlicer.Slicer.Handlers.IJobHandler> handlers)
    {
        var options = Options.Create(new SlicerOptions { Count = 1, WorkDirectory = Path.Combine(store.Directory, "work-idle") });
        var service = new SlicerService(store.Queue, store.Signals, store.Registry, handlers, options, store.Clock, NullLogger<SlicerService>.Instance);
        await service.StartAsync(CancellationToken.None);
        return new SlicerServiceRun(service);
    }

    public async ValueTask DisposeAsync()
    {
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
    }
}
