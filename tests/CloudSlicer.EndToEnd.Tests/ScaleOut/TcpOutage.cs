using System.Net;
using System.Net.Sockets;

namespace CloudSlicer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// A TCP forwarder on a loopback port in front of a server, which a test can cut (open connections reset, new ones
/// refused) and restore on the same port: an outage as the clients see it, while the server behind keeps its data.
/// </summary>
internal sealed class TcpOutage : IAsyncDisposable
{
    private readonly int _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _disposed = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    private TcpOutage(int target) => _target = target;

    public int Port { get; private set; }

    public static TcpOutage Start(int targetPort)
    {
        var outage = new TcpOutage(targetPort);
        outage.Listen(0);
        return outage;
    }

    /// <summary>Resets every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public async Task CutAsync()
    {
        _listener?.Stop();
        _listener = null;
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Client.LingerState = new LingerOption(true, 0);   // RST, as a vanished server's host answers
                client.Dispose();
            }

            _open.Clear();
        }
    }

    /// <summary>Takes connections again, on the same port.</summary>
    public void Restore() => Listen(Port);

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await CutAsync();
        _disposed.Dispose();
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _accepting = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_disposed.IsCancellationRequested)
        {
            var inbound = await listener.AcceptTcpClientAsync(_disposed.Token);
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, _target, _disposed.Token);
            }
            catch (SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = PipeAsync(inbound, outbound);
            _ = PipeAsync(outbound, inbound);
        }
    }

    private static async Task PipeAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // cut, or the other side closed
        }
    }
}
