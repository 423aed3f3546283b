using System.Net;
using System.Net.Sockets;

namespace CloudSlicer.Slicer.Sources;

/// <summary>Resolves a host name to addresses; <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/> outside tests.</summary>
internal delegate Task<IPAddress[]> HostResolver(string host, CancellationToken cancellationToken);

/// <summary>The connection refused by the SSRF guard, carried out of <see cref="SocketsHttpHandler"/> to the fetcher.</summary>
internal sealed class AddressRefusedException(string reason) : Exception(reason);

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> that enforces <see cref="AddressPolicy"/> on the
/// addresses a connection really goes to. Checking the URL alone is not enough: a public-looking name can
/// resolve (or be re-bound between check and use) to 127.0.0.1 or 169.254.169.254, and every redirect hop
/// opens its connection here too.
/// </summary>
internal sealed class GuardedConnector(AddressPolicy policy, HostResolver resolve)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await resolve(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var allowed = new List<IPAddress>();
        string? refusal = null;
        foreach (var address in addresses)
        {
            var reason = policy.RefusalFor(host, address);
            if (reason is null)
            {
                allowed.Add(address);
            }
            else
            {
                refusal ??= reason;
            }
        }

        if (allowed.Count == 0)
        {
            throw new AddressRefusedException(refusal!);
        }

        // Only the vetted addresses are tried, each as the exact IP endpoint, so nothing re-resolves the name.
        Exception? last = null;
        foreach (var vetted in allowed)
        {
            // An IPv4-mapped answer is dialled as IPv4: an IPv6 socket would need dual mode to reach it.
            var address = vetted.IsIPv4MappedToIPv6 ? vetted.MapToIPv4() : vetted;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
