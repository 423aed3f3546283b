using CloudSlicer.Api.Maintenance;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Slicers;
using CloudSlicer.Storage.Sqlite;
using CloudSlicer.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Api.Tests.Maintenance;

/// <summary>
/// The API's sweep on a real store: a waiting job says so while no live slicer can do its kind, and stops
/// saying so while one can; a crashed slicer stops counting after three missed beats.
/// </summary>
public sealed class SlicerMaintenanceTests : IDisposable
{
    private const string Owner = "0123456789abcdef0123456789abcdef";
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cloudslicer-sweep-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _clock = new();
    private readonly SqliteDatabase _db;
    private readonly SqliteJobQueue _queue;
    private readonly SqliteSlicerRegistry _registry;
    private readonly SlicerMaintenance _sweep;

    public SlicerMaintenanceTests()
    {
        _db = new SqliteDatabase(Path.Combine(_root, "cloudslicer.db"));
        _queue = new SqliteJobQueue(_db, _clock, Options.Create(new QueueOptions()), new JobSignals());
        _registry = new SqliteSlicerRegistry(_db, _clock);
        _sweep = new SlicerMaintenance(_queue, _registry, _clock, NullLogger<SlicerMaintenance>.Instance);
    }

    public void Dispose()
    {
        _sweep.Dispose();
        _db.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_waiting_job_says_no_slicer_can_do_it_until_one_that_can_is_alive_and_again_after_it_died()
    {
        var job = await _queue.EnqueueAsync(new NewJob(Owner, JobKind.Create, "{}", """{"url": "https://media.example/a.mp4"}"""), CancellationToken.None);
        await _registry.RegisterAsync(new SlicerRegistration("other:8:0", "other", 8, [], Beat), CancellationToken.None);   // alive, but can do nothing

        await _sweep.SweepAsync(CancellationToken.None);
        Assert.Equal(JobTexts.NoSlicerFor(JobKind.Create), await ProgressAsync(job.Id));

        await _registry.RegisterAsync(new SlicerRegistration("box:41:0", "box", 41, [JobKind.Create], Beat), CancellationToken.None);
        await _sweep.SweepAsync(CancellationToken.None);
        Assert.Equal("", await ProgressAsync(job.Id));

        // The slicer's process crashed: no beat, no clean removal. Three beats on, it no longer counts.
        _clock.Advance(Beat * 3 + TimeSpan.FromMilliseconds(1));
        await _sweep.SweepAsync(CancellationToken.None);
        var after = await _queue.GetAsync(Owner, job.Id, CancellationToken.None);
        Assert.Equal((JobState.Waiting, 0, JobTexts.NoSlicerFor(JobKind.Create)), (after!.State, after.Attempts, after.Progress));
    }

    private async Task<string> ProgressAsync(string id) =>
        (await _queue.GetAsync(Owner, id, CancellationToken.None))!.Progress;
}
