using System.Diagnostics;
using CloudSlicer.Api.Api2;

namespace CloudSlicer.ApiBench;

/// <summary>Per-call costs measured in this process, single-threaded, after a warm-up: where a request's time can go.</summary>
public sealed record MicroResults(
    int Iterations,
    TimeSpan ClientSign,
    TimeSpan ServerDecode,
    TimeSpan ServerSignature,
    int DbIterations,
    TimeSpan DbInsert,
    TimeSpan DbSelect,
    int MsgLength);

public static class Micro
{
    public static async Task<MicroResults> RunAsync(int iterations, Api2Create create, string secret, string scratchDatabase, CancellationToken ct)
    {
        var (msg, sig) = create.Sign();

        TimeSpan Time(Action action)
        {
            for (var i = 0; i < Math.Max(100, iterations / 10); i++)
            {
                action();
            }

            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < iterations; i++)
            {
                action();
            }

            return Stopwatch.GetElapsedTime(start) / iterations;
        }

        var sign = Time(() => create.Sign());
        var decode = Time(() => Api2Message.Decode(msg, 1_048_576));
        var signature = Time(() =>
        {
            if (!Api2Signature.Matches(msg, sig, secret))
            {
                throw new InvalidOperationException("the bench's own signature does not verify");
            }
        });

        // One statement at a time, as the baseline endpoint runs it (pooled connection, pragmas, statement), on a
        // scratch file with CloudSlicer's schema: the database's share of a request when nothing waits for the write lock.
        var dbIterations = Math.Clamp(iterations / 20, 50, 2000);
        await BaselineServer.CreateSchemaAsync(scratchDatabase, ct);

        var connection = BaselineServer.ConnectionString(scratchDatabase);
        string? id = null;
        async Task<TimeSpan> TimeDb(Func<Task> action)
        {
            for (var i = 0; i < dbIterations / 10; i++)
            {
                await action();
            }

            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < dbIterations; i++)
            {
                await action();
            }

            return Stopwatch.GetElapsedTime(start) / dbIterations;
        }

        var insert = await TimeDb(async () =>
        {
            var job = await BaselineServer.QueryOneAsync(connection, StoreSql.Enqueue,
                [
                    ("@id", Guid.NewGuid().ToString("N")), ("@owner", BaselineServer.Owner), ("@kind", "create"),
                    ("@args", """{"trim":"5000,10000"}"""), ("@source", """{"url":"https://media.example.com/v.mp4"}"""),
                    ("@secrets", null), ("@asset", null), ("@now", TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()),
                ], ct);
            id ??= job!.Id;
        });
        var select = await TimeDb(async () =>
        {
            _ = await BaselineServer.QueryOneAsync(connection, StoreSql.Get, [("@id", id!), ("@owner", BaselineServer.Owner)], ct)
                ?? throw new InvalidOperationException("the scratch job is missing");
        });

        return new MicroResults(iterations, sign, decode, signature, dbIterations, insert, select, msg.Length);
    }
}
