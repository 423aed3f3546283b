using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Notifications;
using CloudSlicer.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudSlicer.Storage.Tests.Postgres;

/// <summary>
/// The outbox contract on a fresh real PostgreSQL database, with the job queue and outbox that
/// <see cref="StorageServiceCollectionExtensions.AddPostgresStorage"/> composes (the queue's transitions write
/// the rows), plus senders in several processes claiming at once.
/// </summary>
public sealed class PostgresNotificationOutboxTests : NotificationOutboxContract, IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;
    private ServiceProvider? _services;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    protected override Task<(IJobQueue Queue, INotificationOutbox Outbox)> CreateAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddPostgresStorage(_database.ConnectionString);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
        _services = services.BuildServiceProvider();
        return Task.FromResult((_services.GetRequiredService<IJobQueue>(), _services.GetRequiredService<INotificationOutbox>()));
    }

    [Fact]
    public async Task Senders_in_two_processes_claiming_at_once_never_claim_one_notification_twice()
    {
        const int Rows = 60;
        await _database.MigrateAsync();
        await _database.ExecuteAsync($"""
            INSERT INTO notifications (id, job_id, owner, event, url, body, state, max_attempts, retry_wait, next_at, created)
            SELECT md5(n::text), md5('job' || n::text), '{Owner}', 'start', 'https://h.example/s', 'status=started', 'pending', 3, 10000, 0, 0
              FROM generate_series(1, {Rows}) AS n
            """);
        var processes = new[] { new PostgresNotificationOutbox(_database.Open(), Clock), new PostgresNotificationOutbox(_database.Open(), Clock) };

        // Four senders per process, each claiming until nothing is due: with every lease still running, a row
        // claimed twice could only come from two senders taking it at the same moment.
        var claims = await Task.WhenAll(processes.SelectMany(outbox => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await outbox.TryClaimAsync(TimeSpan.FromMinutes(5), CancellationToken.None) is { } claim)
            {
                mine.Add(claim.Notification.Id);
            }

            return mine;
        }))));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(Rows, all.Count);
        Assert.Equal(Rows, all.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Rows, Convert.ToInt64(await _database.ExecuteAsync("SELECT COUNT(*) FROM notifications WHERE attempts = 1 AND lease_token IS NOT NULL"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_sender_in_another_process_takes_a_row_only_once_its_holders_lease_has_run_out()
    {
        await _database.MigrateAsync();
        await _database.ExecuteAsync($"""
            INSERT INTO notifications (id, job_id, owner, event, url, body, state, max_attempts, retry_wait, next_at, created)
            VALUES ('n1', 'j1', '{Owner}', 'done', 'https://h.example/d', 'status=done', 'pending', 3, 10000, 0, 0)
            """);
        var first = new PostgresNotificationOutbox(_database.Open(), Clock);
        var second = new PostgresNotificationOutbox(_database.Open(), Clock);
        var held = (await first.TryClaimAsync(TimeSpan.FromSeconds(60), CancellationToken.None))!;

        Assert.Null(await second.TryClaimAsync(TimeSpan.FromSeconds(60), CancellationToken.None));
        Clock.Advance(TimeSpan.FromSeconds(60));
        var taken = (await second.TryClaimAsync(TimeSpan.FromSeconds(60), CancellationToken.None))!;

        Assert.False(await first.MarkDeliveredAsync(held.Lease, CancellationToken.None));
        Assert.True(await second.MarkDeliveredAsync(taken.Lease, CancellationToken.None));
        var row = Assert.Single(await second.ListForJobAsync("j1", CancellationToken.None));
        Assert.Equal((NotificationState.Delivered, 2), (row.State, row.Attempts));
    }
}
