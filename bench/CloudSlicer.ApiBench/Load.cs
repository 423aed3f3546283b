using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Bench;
using CloudSlicer.Testing;

namespace CloudSlicer.ApiBench;

/// <summary>One kind of request the load generator sends, and how to tell a failure from its answer.</summary>
public interface IOperation
{
    /// <summary>Builds the next request (for CloudSlicer: a fresh msg, signed). Called outside the timed interval.</summary>
    HttpRequestMessage NewRequest();

    /// <summary>Null when the answer is a success, else what was wrong (a failure; the bench requires none).</summary>
    string? Check(HttpStatusCode status, byte[] body);
}

/// <summary>The api2 calls as the Python helper sends them: form fields msg and sig, msg = base64(zlib(json)) with _owner and _timestamp.</summary>
public abstract class Api2Operation(string owner, string secret) : IOperation
{
    public abstract string Path { get; }

    /// <summary>The parameters before _owner and _timestamp (dict(params, _owner=..., _timestamp=...)).</summary>
    protected abstract JsonObject Parameters();

    private SignedCall? _current;

    /// <summary>The msg and sig for one call, signed now: base64(zlib level 9), HMAC-SHA256 hex, as uplynk_api2_auth.Call.</summary>
    public (string Msg, string Sig) Sign()
    {
        var payload = Parameters();
        payload["_owner"] = owner;
        payload["_timestamp"] = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var msg = Api2Encoding.Encode(payload, compressionLevel: 9);
        return (msg, Api2Signature.Compute(msg, secret));
    }

    /// <summary>
    /// The call's msg and sig for this second. _timestamp is whole seconds, so the Python helper sends the very same
    /// msg and sig for every identical call within a second; signing once a second here sends exactly that, and
    /// keeps the load generator's compress-and-sign work (a client's cost, on the client's machine in production)
    /// from taking the cores this bench shares with the server under test.
    /// </summary>
    private SignedCall Current()
    {
        var second = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var current = Volatile.Read(ref _current);
        if (current is null || current.Second != second)
        {
            var (msg, sig) = Sign();
            current = new SignedCall(second, msg, sig);
            Volatile.Write(ref _current, current);
        }

        return current;
    }

    private sealed record SignedCall(long Second, string Msg, string Sig);

    public HttpRequestMessage NewRequest()
    {
        var (_, msg, sig) = Current();
        return new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Content = new FormUrlEncodedContent([new("msg", msg), new("sig", sig)]),
        };
    }

    public string? Check(HttpStatusCode status, byte[] body)
    {
        if (status != HttpStatusCode.OK)
        {
            return $"HTTP {(int)status}: {Text(body)}";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (!root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Number || error.GetInt32() != 0)
            {
                return $"api2 error: {Text(body)}";
            }

            return root.TryGetProperty("job", out var job) && job.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? CheckJob(id.GetString()!)
                : $"no job.id in {Text(body)}";
        }
        catch (JsonException ex)
        {
            return $"not JSON ({ex.Message}): {Text(body)}";
        }
    }

    protected virtual string? CheckJob(string id) => null;

    internal static string Text(byte[] body) => body.Length <= 300 ? Encoding.UTF8.GetString(body) : Encoding.UTF8.GetString(body, 0, 300) + "...";
}

public sealed class Api2Create(string owner, string secret, string sourceUrl, string trim) : Api2Operation(owner, secret)
{
    public override string Path => "/api2/cloudslicer/jobs/create";

    protected override JsonObject Parameters() => new()
    {
        ["source"] = new JsonObject { ["url"] = sourceUrl },
        ["args"] = new JsonObject { ["trim"] = trim },
    };
}

public sealed class Api2Get(string owner, string secret, string jobId) : Api2Operation(owner, secret)
{
    public override string Path => "/api2/cloudslicer/jobs/get";

    protected override JsonObject Parameters() => new() { ["id"] = jobId };

    protected override string? CheckJob(string id) => id == jobId ? null : $"jobs/get answered job {id}, not {jobId}";
}

/// <summary>The baseline's calls: plain JSON, no signing.</summary>
public abstract class PlainOperation : IOperation
{
    public abstract HttpRequestMessage NewRequest();

    public string? Check(HttpStatusCode status, byte[] body)
    {
        if (status != HttpStatusCode.OK)
        {
            return $"HTTP {(int)status}: {Api2Operation.Text(body)}";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? CheckJob(id.GetString()!)
                : $"no id in {Api2Operation.Text(body)}";
        }
        catch (JsonException ex)
        {
            return $"not JSON ({ex.Message}): {Api2Operation.Text(body)}";
        }
    }

    protected virtual string? CheckJob(string id) => null;
}

public sealed class PlainCreate(string sourceUrl, string trim) : PlainOperation
{
    private readonly byte[] _body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["source"] = new JsonObject { ["url"] = sourceUrl },
        ["args"] = new JsonObject { ["trim"] = trim },
    });

    public override HttpRequestMessage NewRequest()
    {
        var content = new ByteArrayContent(_body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, "/jobs") { Content = content };
    }
}

public sealed class PlainGet(string jobId) : PlainOperation
{
    public override HttpRequestMessage NewRequest() => new(HttpMethod.Get, $"/jobs/{jobId}");

    protected override string? CheckJob(string id) => id == jobId ? null : $"GET /jobs answered job {id}, not {jobId}";
}

/// <summary>One timed phase: C workers sending one operation for warm-up + measured seconds.</summary>
public sealed record PhaseResult(
    string Side,
    string Operation,
    int Round,
    long[] LatencyTicks,
    TimeSpan Window,
    long Sent,
    long Failures,
    IReadOnlyList<string> FailureSamples,
    TimeSpan? ServerCpu,
    TimeSpan BenchCpu,
    ContentionFigures Contention)
{
    public long Count => LatencyTicks.LongLength;

    public double RequestsPerSecond => Count / Window.TotalSeconds;

    public TimeSpan P50 => Percentile(0.50);

    public TimeSpan P99 => Percentile(0.99);

    public TimeSpan Max => Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, LatencyTicks[^1]);

    /// <summary>Measured requests that took 100 ms or more (the tail that SQLite's sleeping busy handler makes).</summary>
    public long Slow => LatencyTicks.LongLength - LowerBound(LatencyTicks, Stopwatch.Frequency / 10);

    /// <summary>Server CPU per measured request (CloudSlicer only; the baseline shares this process).</summary>
    public TimeSpan? ServerCpuPerRequest => ServerCpu is { } cpu && Count > 0 ? cpu / Count : null;

    /// <summary>This process's CPU per measured request: the load generator, plus the baseline server in baseline phases.</summary>
    public TimeSpan BenchCpuPerRequest => Count > 0 ? BenchCpu / Count : TimeSpan.Zero;

    private static long LowerBound(long[] sorted, long value)
    {
        var i = Array.BinarySearch(sorted, value);
        if (i < 0)
        {
            return ~i;
        }

        while (i > 0 && sorted[i - 1] == value)
        {
            i--;
        }

        return i;
    }

    /// <summary>Nearest rank over the sorted latencies.</summary>
    public TimeSpan Percentile(double p)
    {
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (long)Math.Ceiling(p * Count);
        return Stopwatch.GetElapsedTime(0, LatencyTicks[Math.Clamp(rank - 1, 0, Count - 1)]);
    }
}

public static class LoadGenerator
{
    private const int MaxSamples = 5;

    /// <summary>An HttpClient with pooled keep-alive connections, one per worker at most, for one side.</summary>
    public static HttpClient Client(string baseUrl, int concurrency) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// Runs <paramref name="concurrency"/> workers, each sending <paramref name="operation"/> back to back, for
    /// warm-up + measured time. A request counts when it completes inside the measured window; its latency is from
    /// just before SendAsync to the whole body read (building and signing the request is outside it).
    /// </summary>
    public static async Task<PhaseResult> RunAsync(
        string side, string name, int round, HttpClient http, IOperation operation, int concurrency,
        TimeSpan warmup, TimeSpan measured, Func<TimeSpan>? serverCpu, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var warmEnd = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = warmEnd + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var failures = 0L;
        var sent = 0L;
        var samples = new List<string>();

        // CPU and other processes' load are sampled at the edges of the measured window.
        var sampler = Task.Run(async () =>
        {
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), warmEnd) is var w && w > TimeSpan.Zero ? w : TimeSpan.Zero, ct);
            var server0 = serverCpu?.Invoke();
            var bench0 = CpuTimes.OfSelf().Own;
            var meter = Contention.Start();
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), end) is var m && m > TimeSpan.Zero ? m : TimeSpan.Zero, ct);
            var serverUsed = serverCpu?.Invoke() - server0;
            var benchUsed = CpuTimes.OfSelf().Own - bench0;
            return (serverUsed, benchUsed, meter.Stop(serverUsed ?? TimeSpan.Zero));
        }, ct);

        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<long>(4096);
            while (true)
            {
                using var request = operation.NewRequest();
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= end)
                {
                    break;
                }

                string? failure;
                long t1;
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                    var body = await response.Content.ReadAsByteArrayAsync(ct);
                    t1 = Stopwatch.GetTimestamp();
                    failure = operation.Check(response.StatusCode, body);
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
                {
                    t1 = Stopwatch.GetTimestamp();
                    failure = $"{ex.GetType().Name}: {ex.Message}";
                }

                Interlocked.Increment(ref sent);
                if (failure is not null)
                {
                    Interlocked.Increment(ref failures);
                    lock (samples)
                    {
                        if (samples.Count < MaxSamples)
                        {
                            samples.Add(failure);
                        }
                    }
                }
                else if (t1 >= warmEnd && t1 <= end)
                {
                    latencies.Add(t1 - t0);
                }
            }

            return latencies;
        }, ct)).ToList();

        var all = await Task.WhenAll(workers);
        var (serverUsed, benchUsed, contention) = await sampler;
        var ticks = all.SelectMany(l => l).ToArray();
        Array.Sort(ticks);
        return new PhaseResult(side, name, round, ticks, measured, sent, failures, samples, serverUsed, benchUsed, contention);
    }
}
