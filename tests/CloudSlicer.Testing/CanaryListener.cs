using System.Net;
using System.Net.Sockets;

namespace CloudSlicer.Testing;

/// <summary>
/// A TCP listener that only counts who connects. Security tests point refused URLs (loopback in every
/// spelling, redirects, playlist segments) at it: a count still at zero proves the guard refused before any
/// connection, not merely that the fetch failed afterwards. Connections are accepted and closed at once.
/// </summary>
public sealed class CanaryListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    private CanaryListener(IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port on 127.0.0.1 (or the address given to <see cref="Start"/>).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static CanaryListener Start(IPAddress? address = null) => new(address ?? IPAddress.Loopback);

    /// <summary><c>http://{host}:{port}{path}</c>, for a host spelled any way that should reach this listener.</summary>
    public string Url(string host, string path = "/canary.mp4") => $"http://{host}:{Port}{path}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
        }
    }
}
