using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace CloudSlicer.DispatchBench;

/// <summary>
/// The baseline: the bare LISTEN/NOTIFY + <c>FOR UPDATE SKIP LOCKED</c> queue anyone would write, in this process on
/// the same database. A worker on its own connection LISTENs; when notified it claims with one UPDATE ... WHERE id =
/// (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING until none is left, then waits again. The producer, on its
/// own connection, sends the INSERT and the NOTIFY as one batch (one round trip, one implicit transaction).
/// </summary>
public sealed class BareQueue : IAsyncDisposable
{
    public const string Channel = "bench_bare_work";

    public const string Schema = """
        CREATE TABLE bare_jobs (
            id bigserial PRIMARY KEY,
            state text NOT NULL DEFAULT 'waiting',
            payload text NOT NULL,
            worker text,
            claimed_at timestamptz);
        CREATE INDEX bare_jobs_waiting ON bare_jobs (id) WHERE state = 'waiting';
        """;

    public const string Insert = "INSERT INTO bare_jobs (payload) VALUES (@payload) RETURNING id";

    public const string Notify = $"NOTIFY {Channel}";

    public const string Claim = """
        UPDATE bare_jobs SET state = 'claimed', worker = @worker, claimed_at = now()
         WHERE id = (SELECT id FROM bare_jobs WHERE state = 'waiting' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id
        """;

    private readonly NpgsqlConnection _producer;
    private readonly NpgsqlConnection _worker;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<long>> _claimed = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _notified;

    private BareQueue(NpgsqlConnection producer, NpgsqlConnection worker)
    {
        _producer = producer;
        _worker = worker;
    }

    public static async Task<BareQueue> StartAsync(string connectionString, CancellationToken ct)
    {
        var producer = new NpgsqlConnection(connectionString + ";Pooling=false;Application Name=bench-bare-producer");
        var worker = new NpgsqlConnection(connectionString + ";Pooling=false;Application Name=bench-bare-worker");
        await producer.OpenAsync(ct);
        await worker.OpenAsync(ct);
        var queue = new BareQueue(producer, worker);
        worker.Notification += (_, _) => Volatile.Write(ref queue._notified, 1);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", worker))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        queue._loop = Task.Run(() => queue.WorkAsync(queue._stop.Token), CancellationToken.None);
        return queue;
    }

    /// <summary>Enqueues one job; returns its id and the Stopwatch timestamp at which the producer's batch returned.</summary>
    public async Task<(long Id, long Committed)> EnqueueAsync(CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(_producer);
        var insert = new NpgsqlBatchCommand(Insert);
        insert.Parameters.AddWithValue("payload", "dispatch-bench");
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Notify));
        var id = (long)(await batch.ExecuteScalarAsync(ct))!;
        return (id, Stopwatch.GetTimestamp());
    }

    /// <summary>The Stopwatch timestamp at which the worker's claim of <paramref name="id"/> returned to it.</summary>
    public Task<long> ClaimedAsync(long id, TimeSpan timeout, CancellationToken ct) => Claimed(id).Task.WaitAsync(timeout, ct);

    public void Forget(long id) => _claimed.TryRemove(id, out _);

    private TaskCompletionSource<long> Claimed(long id) =>
        _claimed.GetOrAdd(id, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task WorkAsync(CancellationToken stop)
    {
        await using var claim = new NpgsqlCommand(Claim, _worker);
        claim.Parameters.AddWithValue("worker", "bare-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // A notification read while a claim ran is consumed then; the flag keeps it from being slept through.
                Volatile.Write(ref _notified, 0);
                while (await claim.ExecuteScalarAsync(stop) is long id)
                {
                    Claimed(id).TrySetResult(Stopwatch.GetTimestamp());
                }

                if (Volatile.Read(ref _notified) == 0)
                {
                    await _worker.WaitAsync(stop);
                }
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
        await _worker.DisposeAsync();
        await _producer.DisposeAsync();
        _stop.Dispose();
    }
}
