using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Sqlite;
using CloudSlicer.Testing;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Tests.Running;

/// <summary>
/// A real SQLite job queue in a temporary directory, on a clock whose timers fire only when the test advances
/// it, so heartbeats, lease expiry and idle polls happen exactly when a test says.
/// </summary>
internal sealed class QueueOnDisk : IDisposable
{
    public const string Owner = "0123456789abcdef0123456789abcdef";

    private readonly SqliteDatabase _db;

    public QueueOnDisk()
    {
        _db = new SqliteDatabase(System.IO.Path.Combine(Directory, "cloudslicer.db"));
        Queue = new SqliteJobQueue(_db, Clock, Options.Create(QueueOptions), Signals);
        Registry = new SqliteSlicerRegistry(_db, Clock);
    }

    public string Directory { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cloudslicer-running-{Guid.NewGuid():N}");

    public FakeTimeProvider Clock { get; } = new() { ControlsTimers = true };

    public QueueOptions QueueOptions { get; } = new() { LeaseDuration = TimeSpan.FromSeconds(30), MaxAttempts = 3 };

    public JobSignals Signals { get; } = new();

    public SqliteJobQueue Queue { get; }

    /// <summary>The slicer registry in the same file.</summary>
    public SqliteSlicerRegistry Registry { get; }

    /// <summary>The same file seen by another process: its own signals, so cancels reach slicers only through the store.</summary>
    public SqliteJobQueue OtherProcess() => new(_db, Clock, Options.Create(QueueOptions), new JobSignals());

    public Task<Job> EnqueueAsync() =>
        Queue.EnqueueAsync(new NewJob(Owner, JobKind.Create, "{}", """{"url": "https://media.example/a.mp4"}"""), CancellationToken.None);

    public async Task<Job> GetAsync(string id) =>
        await Queue.GetAsync(Owner, id, CancellationToken.None) ?? throw new InvalidOperationException($"job {id} is gone");

    public void Dispose()
    {
        _db.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
