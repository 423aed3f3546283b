using System.Collections.Concurrent;
using Npgsql;

namespace CloudSlicer.DispatchBench;

/// <summary>One state a job's row entered, stamped by PostgreSQL's clock_timestamp() as the statement wrote it.</summary>
public sealed record Mark(string State, DateTimeOffset At);

/// <summary>
/// How the bench sees "assigned" without polling: an AFTER INSERT OR UPDATE OF state row trigger on both queues'
/// tables appends (job, new state, clock_timestamp()) to an unlogged table, and on an end state also NOTIFYs the
/// bench, so it knows when a job is over and the slicer idle again. clock_timestamp() is the machine's wall clock
/// (gettimeofday, µs), the same clock the bench stamps a create's send time with, so the difference is the dispatch
/// latency to the microsecond, with no poll interval in it. The trigger runs at the end of the claim's UPDATE,
/// before its commit; it costs both sides' INSERTs and claims the same one small insert.
/// </summary>
public static class Marks
{
    public const string EndChannel = "bench_dispatch_end";

    public const string Install = $"""
        CREATE UNLOGGED TABLE bench_marks (job text NOT NULL, state text NOT NULL, at timestamptz NOT NULL);
        CREATE INDEX bench_marks_job ON bench_marks (job);
        CREATE FUNCTION bench_mark() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO bench_marks (job, state, at) VALUES (NEW.id::text, NEW.state, clock_timestamp());
            IF NEW.state IN ('done', 'error', 'cancelled') THEN
                PERFORM pg_notify('{EndChannel}', NEW.id::text);
            END IF;
            RETURN NULL;
        END $$;
        """;

    /// <summary>Puts the trigger on <paramref name="table"/> (CloudSlicer's jobs, once its migrations made it; the bare queue).</summary>
    public static string TriggerOn(string table) =>
        $"CREATE TRIGGER bench_mark AFTER INSERT OR UPDATE OF state ON {table} FOR EACH ROW EXECUTE FUNCTION bench_mark();";

    public static async Task<IReadOnlyList<Mark>> ReadAsync(NpgsqlConnection connection, string job, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT state, at FROM bench_marks WHERE job = @job ORDER BY at", connection);
        command.Parameters.AddWithValue("job", job);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var marks = new List<Mark>();
        while (await reader.ReadAsync(ct))
        {
            marks.Add(new Mark(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return marks;
    }
}

/// <summary>Listens on <see cref="Marks.EndChannel"/> on its own connection: a job's end, by id.</summary>
public sealed class EndListener : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _ended = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private EndListener(NpgsqlConnection connection) => _connection = connection;

    public static async Task<EndListener> StartAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(ct);
        var listener = new EndListener(connection);
        connection.Notification += (_, e) => listener.Ended(e.Payload).TrySetResult();
        await using (var listen = new NpgsqlCommand($"LISTEN {Marks.EndChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        listener._loop = Task.Run(() => listener.LoopAsync(listener._stop.Token), CancellationToken.None);
        return listener;
    }

    /// <summary>Completes when <paramref name="job"/> reached done, error or cancelled (throws after <paramref name="timeout"/>).</summary>
    public Task WaitAsync(string job, TimeSpan timeout, CancellationToken ct) => Ended(job).Task.WaitAsync(timeout, ct);

    public void Forget(string job) => _ended.TryRemove(job, out _);

    private TaskCompletionSource Ended(string job) =>
        _ended.GetOrAdd(job, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task LoopAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await _connection.WaitAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}
