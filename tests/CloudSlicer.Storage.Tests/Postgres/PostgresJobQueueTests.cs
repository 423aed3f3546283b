using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Postgres;
using CloudSlicer.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CloudSlicer.Storage.Tests.Postgres;

/// <summary>
/// The queue contract on a real PostgreSQL server (a fresh database per test), plus what only PostgreSQL has to
/// show: row locks instead of a single writer, several processes on one database, and notifications committed with
/// their transitions.
/// </summary>
public sealed class PostgresJobQueueTests : JobQueueContract, IAsyncLifetime
{
    private string _connectionString = "";
    private PostgresDatabase? _database;

    public async Task InitializeAsync() => _connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override Task<IJobQueue> CreateQueueAsync() => Task.FromResult<IJobQueue>(Open());

    protected override async Task<IJobQueue> ReopenQueueAsync()
    {
        await _database!.DisposeAsync();
        return Open();
    }

    [Fact]
    public async Task A_claim_skips_a_job_locked_by_another_slicer_instead_of_waiting_for_it()
    {
        var queue = await CreateQueueAsync();
        var locked = await EnqueueAsync(queue, OwnerA);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var next = await EnqueueAsync(queue, OwnerA);

        // Another claimer's transaction holds the oldest job's row lock and has not committed yet.
        await using var other = await _database!.OpenAsync(CancellationToken.None);
        await using var transaction = await other.BeginTransactionAsync();
        await PostgresDatabase.ExecuteAsync(other, "SELECT 1 FROM jobs WHERE id = @id FOR UPDATE", [("id", locked.Id)], CancellationToken.None);

        var claim = await queue.TryClaimAsync("slicer-a", CancellationToken.None);

        Assert.Equal(next.Id, claim?.Job.Id);
        await transaction.RollbackAsync();
        Assert.Equal(locked.Id, (await queue.TryClaimAsync("slicer-b", CancellationToken.None))?.Job.Id);
    }

    [Fact]
    public async Task Two_processes_claiming_at_once_on_one_database_claim_every_job_exactly_once()
    {
        var queue = await CreateQueueAsync();
        await using var otherProcess = new PostgresDatabase(_connectionString);
        var otherQueue = new PostgresJobQueue(otherProcess, Clock, Microsoft.Extensions.Options.Options.Create(Options), new JobSignals());
        for (var i = 0; i < 200; i++)
        {
            await EnqueueAsync(i % 2 == 0 ? queue : otherQueue, i % 3 == 0 ? OwnerA : OwnerB);
        }

        // Eight claimers, four per process, all going at once.
        var claimers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var mine = new List<string>();
            var through = n % 2 == 0 ? queue : otherQueue;
            while (await through.TryClaimAsync($"slicer-{n}", CancellationToken.None) is { } claim)
            {
                mine.Add(claim.Job.Id);
            }

            return mine;
        }));
        var claimed = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        Assert.Equal(200, claimed.Count);
        Assert.Equal(200, claimed.Distinct().Count());
        var jobs = (await queue.ListAsync(OwnerA, 500, 0, CancellationToken.None)).Concat(await queue.ListAsync(OwnerB, 500, 0, CancellationToken.None)).ToList();
        Assert.Equal(200, jobs.Count);
        Assert.All(jobs, job => Assert.Equal((JobState.Assigned, 1), (job.State, job.Attempts)));
    }

    [Fact]
    public async Task A_transition_and_the_notification_it_causes_commit_together_or_not_at_all()
    {
        var queue = await CreateQueueAsync();
        var job = await queue.EnqueueAsync(
            new NewJob(OwnerA, JobKind.Create, """{"done_url": "https://h.example/d"}""", """{"url":"https://media.example/a.mp4"}"""), CancellationToken.None);
        var claim = (await queue.TryClaimAsync("s", CancellationToken.None))!;
        await _database!.ExecuteAsync("""
            CREATE FUNCTION refuse_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'outbox unavailable'; END; $$;
            CREATE TRIGGER refuse_notifications BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION refuse_notifications();
            """, [], CancellationToken.None);

        await Assert.ThrowsAsync<PostgresException>(() => queue.CompleteAsync(claim.Lease, new JobOutput("fedcba9876543210fedcba9876543210"), CancellationToken.None));

        Assert.Equal(JobState.Assigned, (await queue.GetAsync(OwnerA, job.Id, CancellationToken.None))!.State);
        await _database.ExecuteAsync("DROP TRIGGER refuse_notifications ON notifications", [], CancellationToken.None);
        Assert.True(await queue.CompleteAsync(claim.Lease, new JobOutput("fedcba9876543210fedcba9876543210"), CancellationToken.None));
        var events = await _database.QueryAsync(
            "SELECT event, url, state FROM notifications WHERE job_id = @job", [("job", job.Id)], r => (r.GetString(0), r.GetString(1), r.GetString(2)), CancellationToken.None);
        Assert.Equal([("done", "https://h.example/d", "pending")], events);
    }

    [Fact]
    public void AddPostgresStorage_registers_the_queue_and_the_listener_for_other_processes_signals()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Queue:MaxAttempts"] = "4" }).Build();
        using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddPostgresStorage(_connectionString)
            .BuildServiceProvider();

        Assert.IsType<PostgresJobQueue>(provider.GetRequiredService<IJobQueue>());
        Assert.Single(provider.GetServices<IHostedService>().OfType<PostgresJobListener>());
        Assert.Equal(4, provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<QueueOptions>>().Value.MaxAttempts);
    }

    private PostgresJobQueue Open()
    {
        _database = new PostgresDatabase(_connectionString);
        return new PostgresJobQueue(_database, Clock, Microsoft.Extensions.Options.Options.Create(Options), Signals);
    }
}
