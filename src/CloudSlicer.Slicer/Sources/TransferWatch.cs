namespace CloudSlicer.Slicer.Sources;

/// <summary>
/// The clocks of one fetch: the idle timeout on each wait for the server, the rate floor over consecutive
/// windows, the deadline for the announced length, and a sidecar's total time. Whichever runs out first
/// cancels <see cref="Token"/> and leaves its reason in <see cref="Fault"/>, which the fetcher throws in place
/// of the bare cancellation. An idle timeout alone is not enough: a byte every few seconds resets it forever.
/// </summary>
internal sealed class TransferWatch : IDisposable
{
    // ITimer takes at most about 49.7 days; a deadline further off than this is left to the rate floor.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(30);

    private readonly SourceOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _cts;
    private readonly long _started;
    private readonly ITimer _idle;
    private readonly Lock _window = new();
    private ITimer? _rate;
    private ITimer? _limit;
    private SourceException? _fault;
    private long _bytes;
    private long _windowStartBytes;
    private volatile bool _waiting;

    public TransferWatch(SourceOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        _options = options;
        _time = time;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _started = time.GetTimestamp();

        // A firing already queued when the wait ended must not count against the next wait's data.
        _idle = time.CreateTimer(_ => Stop(_waiting ? SourceErrors.Idle(options.IdleTimeout) : null), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Cancelled by the caller's token or by whichever limit ran out first.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>The limit that ended the transfer, or null.</summary>
    public SourceException? Fault => Volatile.Read(ref _fault);

    /// <summary>
    /// Waiting for a hop's response headers: the connection has its own ConnectTimeout, then the headers must
    /// follow within IdleTimeout.
    /// </summary>
    public void AwaitHeaders() => Await(_options.ConnectTimeout + _options.IdleTimeout);

    /// <summary>Waiting for the next read of the body.</summary>
    public void AwaitData() => Await(_options.IdleTimeout);

    /// <summary>A wait ended with <paramref name="bytes"/> of body (0 for headers); the time until the next wait is not idle.</summary>
    public void Received(int bytes)
    {
        _waiting = false;
        _idle.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Interlocked.Add(ref _bytes, bytes);
    }

    /// <summary>Everything, from connecting to the last byte, within <paramref name="limit"/>: a sidecar's hard deadline.</summary>
    public void LimitTotal(TimeSpan limit, SourceException fault)
    {
        _limit = _time.CreateTimer(_ => Stop(fault), null, limit, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The body starts: from now each <see cref="SourceOptions.RateWindow"/> must bring <see cref="SourceOptions.MinBytesPerSecond"/>
    /// on average, and an announced <paramref name="length"/> must be complete by ConnectTimeout + RateWindow + length at
    /// that rate, counted from the start of the fetch.
    /// </summary>
    /// <exception cref="SourceException">The deadline has already passed (redirects and headers took it all).</exception>
    public void StartBody(long? length)
    {
        var window = _options.RateWindow;
        _rate = _time.CreateTimer(_ => CheckRate(window), null, window, window);
        if (length is not { } announced)
        {
            return;   // chunked: the rate floor alone bounds it
        }

        var allowance = _options.ConnectTimeout + window;
        var seconds = (double)announced / _options.MinBytesPerSecond;
        if (seconds >= LongestTimer.TotalSeconds)
        {
            return;
        }

        var deadline = allowance + TimeSpan.FromSeconds(seconds);
        var fault = SourceErrors.DeadlineExceeded(deadline, announced, _options.MinBytesPerSecond, allowance);
        var remaining = deadline - _time.GetElapsedTime(_started);
        if (remaining <= TimeSpan.Zero)
        {
            throw fault;
        }

        _limit = _time.CreateTimer(_ => Stop(fault), null, remaining, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _idle.Dispose();
        _rate?.Dispose();
        _limit?.Dispose();
        _cts.Dispose();
    }

    private void Await(TimeSpan timeout)
    {
        _waiting = true;
        _idle.Change(timeout, Timeout.InfiniteTimeSpan);
    }

    private void CheckRate(TimeSpan window)
    {
        lock (_window)
        {
            // Consecutive windows of the configured length: a late tick only sees more bytes, never fewer.
            var total = Interlocked.Read(ref _bytes);
            var sent = total - _windowStartBytes;
            _windowStartBytes = total;
            if (sent < _options.MinBytesPerSecond * window.TotalSeconds)
            {
                // Nothing in a whole window is a stall, and says so in the same words as the idle timeout.
                Stop(sent == 0 ? SourceErrors.Idle(window) : SourceErrors.BelowFloor(sent, window, _options.MinBytesPerSecond));
            }
        }
    }

    private void Stop(SourceException? fault)
    {
        if (fault is null || Interlocked.CompareExchange(ref _fault, fault, null) is not null)
        {
            return;
        }

        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The fetch finished as the limit ran out: nothing left to stop.
        }
    }
}
