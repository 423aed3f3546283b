using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Notifications;
using CloudSlicer.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CloudSlicer.Storage.Tests;

/// <summary>The outbox contract on a real SQLite file, plus the one-transaction guarantee that only a fault can show.</summary>
public sealed class SqliteNotificationOutboxTests : NotificationOutboxContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloudslicer-storage-tests", Guid.NewGuid().ToString("N"));
    private SqliteDatabase? _database;

    protected override Task<(IJobQueue Queue, INotificationOutbox Outbox)> CreateAsync()
    {
        _database = new SqliteDatabase(Path.Combine(_root, "cloudslicer.db"));
        var queue = new SqliteJobQueue(_database, Clock, Microsoft.Extensions.Options.Options.Create(Options), new JobSignals());
        return Task.FromResult<(IJobQueue, INotificationOutbox)>((queue, new SqliteNotificationOutbox(_database, Clock)));
    }

    public void Dispose()
    {
        _database?.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task When_the_notification_cannot_be_queued_the_job_does_not_become_done_either()
    {
        var (queue, _) = await CreateAsync();
        var job = await queue.EnqueueAsync(
            new NewJob(Owner, JobKind.Create, """{"done_url": "https://h.example/d"}""", """{"url":"https://media.example/a.mp4"}"""), CancellationToken.None);
        var claim = (await queue.TryClaimAsync("s", CancellationToken.None))!;
        await ExecuteAsync("""
            CREATE TRIGGER refuse_notifications BEFORE INSERT ON notifications
            BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END;
            """);

        await Assert.ThrowsAsync<SqliteException>(() => queue.CompleteAsync(claim.Lease, new JobOutput("fedcba9876543210fedcba9876543210"), CancellationToken.None));

        Assert.Equal(JobState.Assigned, (await queue.GetAsync(Owner, job.Id, CancellationToken.None))!.State);
        await ExecuteAsync("DROP TRIGGER refuse_notifications;");
        Assert.True(await queue.CompleteAsync(claim.Lease, new JobOutput("fedcba9876543210fedcba9876543210"), CancellationToken.None));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await _database!.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
