using CloudSlicer.Core.Jobs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Postgres;
using CloudSlicer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudSlicer.Storage.Tests.Postgres;

/// <summary>
/// Wake-ups and cancels between processes over LISTEN/NOTIFY. Each "process" is a queue on a data source of its own
/// with its own <see cref="JobSignals"/>, as two processes on one database would be; only the one that listens hears
/// the other. Waits are guarded by a deadline, never a sleep: a wait that completes proves the signal arrived.
/// </summary>
public sealed class PostgresJobQueueSignalsTests : IAsyncLifetime
{
    private const string Owner = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // Long enough that a wait can only end by a signal within Deadline, never by its own polling timeout.
    private static readonly TimeSpan NoPolling = TimeSpan.FromMinutes(10);

    private readonly List<Process> _processes = [];
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_job_created_in_one_process_wakes_an_idle_slicer_in_another()
    {
        var api = Start();
        var slicer = await StartListeningAsync();
        var idle = slicer.Signals.WaitForWorkAsync(NoPolling, TimeProvider.System, CancellationToken.None);
        Assert.False(idle.IsCompleted);

        var job = await api.Queue.EnqueueAsync(NewJob(), CancellationToken.None);

        await idle.WaitAsync(Deadline);
        Assert.Equal(job.Id, (await slicer.Queue.TryClaimAsync("slicer-b", CancellationToken.None))?.Job.Id);
    }

    [Fact]
    public async Task A_failed_attempt_in_one_process_wakes_an_idle_slicer_in_another()
    {
        var api = Start();
        var slicer = await StartListeningAsync();
        await api.Queue.EnqueueAsync(NewJob(), CancellationToken.None);
        var claim = (await api.Queue.TryClaimAsync("slicer-a", CancellationToken.None))!;
        var idle = slicer.Signals.WaitForWorkAsync(NoPolling, TimeProvider.System, CancellationToken.None);

        Assert.Equal(JobState.Waiting, await api.Queue.FailAsync(claim.Lease, "The source answered 503", CancellationToken.None));

        await idle.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_cancel_made_in_one_process_stops_the_job_running_in_another_at_once()
    {
        var api = Start();
        var slicer = await StartListeningAsync();
        var job = await api.Queue.EnqueueAsync(NewJob(), CancellationToken.None);
        var claim = (await slicer.Queue.TryClaimAsync("slicer-b", CancellationToken.None))!;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = slicer.Signals.OnCancelled(job.Id, () => stopped.TrySetResult());

        Assert.IsType<CancelOutcome.Cancelled>(await api.Queue.CancelAsync(Owner, job.Id, CancellationToken.None));

        // Before any heartbeat: only the notification can have run the handler.
        await stopped.Task.WaitAsync(Deadline);
        Assert.Equal(LeaseStatus.CancelRequested, await slicer.Queue.HeartbeatAsync(claim.Lease, new JobProgress("Slicing 5%", 5), CancellationToken.None));
    }

    [Fact]
    public async Task The_listener_reconnects_after_its_connection_is_killed_and_signals_flow_again()
    {
        var api = Start();
        var slicer = await StartListeningAsync();
        var firstPid = await ListenerPidAsync(api);
        var reconnected = slicer.Signals.WaitForWorkAsync(NoPolling, TimeProvider.System, CancellationToken.None);

        // What a PostgreSQL restart does to the listener's session, without stopping the shared server.
        var killed = await api.Database.QueryAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()",
            [("name", PostgresJobListener.ApplicationName)], r => r.GetBoolean(0), CancellationToken.None);
        Assert.Equal([true], killed);

        // The listener wakes its slicers once it is back: work may have arrived while nobody listened.
        await reconnected.WaitAsync(Deadline);
        Assert.NotEqual(firstPid, await ListenerPidAsync(api));
        var idle = slicer.Signals.WaitForWorkAsync(NoPolling, TimeProvider.System, CancellationToken.None);
        var job = await api.Queue.EnqueueAsync(NewJob(), CancellationToken.None);
        await idle.WaitAsync(Deadline);

        var claim = (await slicer.Queue.TryClaimAsync("slicer-b", CancellationToken.None))!;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = slicer.Signals.OnCancelled(job.Id, () => stopped.TrySetResult());
        await api.Queue.CancelAsync(Owner, claim.Job.Id, CancellationToken.None);
        await stopped.Task.WaitAsync(Deadline);
    }

    [Fact]
    public async Task After_a_PostgreSQL_restart_the_listener_is_back_and_a_new_job_wakes_the_other_process()
    {
        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync();
        var slicer = await StartListeningAsync(connectionString);
        var reconnected = slicer.Signals.WaitForWorkAsync(NoPolling, TimeProvider.System, CancellationToken.None);

        await server.StopAsync();
        await server.StartServerAsync();

        await reconnected.WaitAsync(Deadline);
        var idle = slicer.Signals.WaitForWorkAsync(NoPolling, TimeProvider.System, CancellationToken.None);
        var job = await Start(connectionString).Queue.EnqueueAsync(NewJob(), CancellationToken.None);
        await idle.WaitAsync(Deadline);
        Assert.Equal(job.Id, (await slicer.Queue.TryClaimAsync("slicer-b", CancellationToken.None))?.Job.Id);
    }

    private Process Start(string? connectionString = null)
    {
        var database = new PostgresDatabase(connectionString ?? _connectionString);
        var signals = new JobSignals();
        var queue = new PostgresJobQueue(database, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new QueueOptions()), signals);
        var process = new Process(database, queue, signals);
        _processes.Add(process);
        return process;
    }

    // Returns once the listener is connected: it wakes its slicers as soon as its LISTENs are in place.
    private async Task<Process> StartListeningAsync(string? connectionString = null)
    {
        var process = Start(connectionString);
        var listening = process.Signals.WaitForWorkAsync(NoPolling, TimeProvider.System, CancellationToken.None);
        process.Listener = new PostgresJobListener(process.Database, process.Signals, TimeProvider.System, NullLogger<PostgresJobListener>.Instance);
        await process.Listener.StartAsync(CancellationToken.None);
        await listening.WaitAsync(Deadline);
        return process;
    }

    private static async Task<int> ListenerPidAsync(Process process) =>
        (await process.Database.QueryAsync(
            "SELECT pid FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()",
            [("name", PostgresJobListener.ApplicationName)], r => r.GetInt32(0), CancellationToken.None)).Single();

    private static NewJob NewJob() => new(Owner, JobKind.Create, "{}", """{"url":"https://example.com/source.mp4"}""");

    private sealed class Process(PostgresDatabase database, PostgresJobQueue queue, JobSignals signals) : IAsyncDisposable
    {
        public PostgresDatabase Database => database;

        public PostgresJobQueue Queue => queue;

        public JobSignals Signals => signals;

        public PostgresJobListener? Listener { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Listener is not null)
            {
                await Listener.StopAsync(CancellationToken.None);
                Listener.Dispose();
            }

            await database.DisposeAsync();
        }
    }
}
