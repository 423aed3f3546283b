using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Storage.Tests;

/// <summary>The queue contract on a real SQLite file (WAL on) in a temporary directory, deleted afterwards.</summary>
public sealed class SqliteJobQueueTests : JobQueueContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloudslicer-storage-tests", Guid.NewGuid().ToString("N"));
    private SqliteDatabase? _database;

    // A directory that does not exist yet: creating it is the database's job.
    private string DatabasePath => Path.Combine(_root, "data", "cloudslicer.db");

    protected override Task<IJobQueue> CreateQueueAsync() => Task.FromResult<IJobQueue>(Open());

    protected override Task<IJobQueue> ReopenQueueAsync()
    {
        _database?.Dispose();
        return Task.FromResult<IJobQueue>(Open());
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
    public async Task First_open_creates_the_directory_and_the_schema_in_WAL_mode()
    {
        var queue = await CreateQueueAsync();
        await EnqueueAsync(queue, OwnerA);

        Assert.True(File.Exists(DatabasePath));
        await using var connection = await _database!.OpenAsync(CancellationToken.None);
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteDatabase.SchemaVersion, await ScalarAsync(connection, "PRAGMA user_version;"));
        Assert.Equal(5000L, await ScalarAsync(connection, "PRAGMA busy_timeout;"));
        Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA foreign_keys;"));
        Assert.Equal(2L, await ScalarAsync(connection, "PRAGMA synchronous;"));   // FULL: an acknowledged job survives a power cut
    }

    [Fact]
    public async Task Reopening_a_migrated_file_leaves_the_schema_as_it_is()
    {
        var queue = await CreateQueueAsync();
        var job = await EnqueueAsync(queue, OwnerA);

        // Two databases on one file at once, as two processes would be; neither re-applies the schema.
        using var second = new SqliteDatabase(DatabasePath);
        await using (var connection = await second.OpenAsync(CancellationToken.None))
        {
            Assert.Equal((long)SqliteDatabase.SchemaVersion, await ScalarAsync(connection, "PRAGMA user_version;"));
        }

        var reopened = await ReopenQueueAsync();
        Assert.NotNull(await reopened.GetAsync(OwnerA, job.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_from_a_newer_CloudSlicer_is_refused_with_a_clear_message()
    {
        using (var setup = new SqliteDatabase(DatabasePath))
        {
            await using var connection = await setup.OpenAsync(CancellationToken.None);
            await ScalarAsync(connection, $"PRAGMA user_version = {SqliteDatabase.SchemaVersion + 1};");
        }

        using var database = new SqliteDatabase(DatabasePath);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.OpenAsync(CancellationToken.None));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSqliteStorage_registers_the_stores_and_binds_the_Queue_section()
    {
        using var provider = Services(new() { ["Queue:MaxAttempts"] = "5", ["Queue:LeaseDuration"] = "00:01:00" });

        Assert.Equal(5, provider.GetRequiredService<IOptions<QueueOptions>>().Value.MaxAttempts);
        Assert.Equal(TimeSpan.FromMinutes(1), provider.GetRequiredService<IOptions<QueueOptions>>().Value.LeaseDuration);
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.IsType<SqliteJobQueue>(provider.GetRequiredService<IJobQueue>());
        var owners = provider.GetRequiredService<IOwnerStore>();
        Assert.False(await owners.AnyOwnerAsync(CancellationToken.None));
        Assert.Same(provider.GetRequiredService<JobSignals>(), provider.GetRequiredService<JobSignals>());
    }

    [Fact]
    public void AddSqliteStorage_rejects_out_of_range_queue_settings()
    {
        using var provider = Services(new() { ["Queue:MaxAttempts"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QueueOptions>>().Value);
        Assert.Contains("MaxAttempts", error.Message, StringComparison.Ordinal);
    }

    private SqliteJobQueue Open()
    {
        _database = new SqliteDatabase(DatabasePath);
        return new SqliteJobQueue(_database, Clock, Microsoft.Extensions.Options.Options.Create(Options), Signals);
    }

    private ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSqliteStorage(DatabasePath);
        return services.BuildServiceProvider();
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
