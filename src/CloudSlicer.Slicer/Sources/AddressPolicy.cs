using System.Net;
using System.Net.Sockets;

namespace CloudSlicer.Slicer.Sources;

/// <summary>What kind of address an IP address is, as far as fetching sources is concerned.</summary>
public enum AddressKind
{
    /// <summary>Globally routable: may be fetched.</summary>
    Public,
    Loopback,
    Unspecified,
    Private,
    LinkLocal,
    CarrierGradeNat,
    Multicast,
    Broadcast,
    Reserved,
}

/// <summary>
/// The SSRF guard's decision, pure: which addresses a source may be fetched from. Only public addresses,
/// unless <see cref="SourceOptions.AllowPrivateSources"/> is on or the host or address is allow-listed.
/// IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by that address,
/// so <c>::ffff:127.0.0.1</c> is loopback.
/// </summary>
public sealed class AddressPolicy
{
    private static readonly IPAddress MetadataAddress = IPAddress.Parse("169.254.169.254");

    // First match wins, so the broadcast address is named before the reserved 240/4 that contains it.
    private static readonly (AddressRange Range, AddressKind Kind)[] V4Ranges =
    [
        (AddressRange.Parse("0.0.0.0/8"), AddressKind.Unspecified),
        (AddressRange.Parse("127.0.0.0/8"), AddressKind.Loopback),
        (AddressRange.Parse("10.0.0.0/8"), AddressKind.Private),
        (AddressRange.Parse("172.16.0.0/12"), AddressKind.Private),
        (AddressRange.Parse("192.168.0.0/16"), AddressKind.Private),
        (AddressRange.Parse("169.254.0.0/16"), AddressKind.LinkLocal),
        (AddressRange.Parse("100.64.0.0/10"), AddressKind.CarrierGradeNat),
        (AddressRange.Parse("224.0.0.0/4"), AddressKind.Multicast),
        (AddressRange.Parse("255.255.255.255/32"), AddressKind.Broadcast),
        (AddressRange.Parse("240.0.0.0/4"), AddressKind.Reserved),
        (AddressRange.Parse("192.0.0.0/24"), AddressKind.Reserved),     // IETF protocol assignments
        (AddressRange.Parse("192.0.2.0/24"), AddressKind.Reserved),     // documentation
        (AddressRange.Parse("198.18.0.0/15"), AddressKind.Reserved),    // benchmarking, often used inside networks
        (AddressRange.Parse("198.51.100.0/24"), AddressKind.Reserved),  // documentation
        (AddressRange.Parse("203.0.113.0/24"), AddressKind.Reserved),   // documentation
    ];

    private static readonly (AddressRange Range, AddressKind Kind)[] V6Ranges =
    [
        (AddressRange.Parse("ff00::/8"), AddressKind.Multicast),
        (AddressRange.Parse("fe80::/10"), AddressKind.LinkLocal),
        (AddressRange.Parse("fec0::/10"), AddressKind.Private),         // deprecated site-local
        (AddressRange.Parse("fc00::/7"), AddressKind.Private),          // unique local (AWS metadata fd00:ec2::254 is here)
        (AddressRange.Parse("64:ff9b:1::/48"), AddressKind.Private),    // local-use NAT64
        (AddressRange.Parse("2001:db8::/32"), AddressKind.Reserved),    // documentation
        (AddressRange.Parse("100::/64"), AddressKind.Reserved),         // discard-only
    ];

    private static readonly AddressRange GlobalUnicast = AddressRange.Parse("2000::/3");

    // IPv6 prefixes whose addresses carry an IPv4 address, and where it sits. Teredo stores the client's
    // address inverted. "::/96" (IPv4-compatible) is checked after :: and ::1 have been named.
    private static readonly (AddressRange Prefix, int Offset, byte Xor)[] Embedding =
    [
        (AddressRange.Parse("::ffff:0:0/96"), 12, 0),     // IPv4-mapped
        (AddressRange.Parse("::/96"), 12, 0),             // IPv4-compatible
        (AddressRange.Parse("::ffff:0:0:0/96"), 12, 0),   // IPv4-translated (SIIT)
        (AddressRange.Parse("64:ff9b::/96"), 12, 0),      // NAT64
        (AddressRange.Parse("2002::/16"), 2, 0),          // 6to4
        (AddressRange.Parse("2001::/32"), 12, 0xff),      // Teredo
    ];

    private readonly bool _allowPrivate;
    private readonly List<AddressRange> _ranges = [];
    private readonly HashSet<string> _hosts = new(StringComparer.Ordinal);
    private readonly List<string> _hostSuffixes = [];

    /// <exception cref="ArgumentException">An allow-list entry is not a host name, an address or a CIDR range.</exception>
    public AddressPolicy(bool allowPrivateSources, IEnumerable<string> allowedHosts)
    {
        _allowPrivate = allowPrivateSources;
        foreach (var entry in allowedHosts)
        {
            if (!TryParseEntry(entry, out var range, out var host))
            {
                throw new ArgumentException($"Sources:AllowedHosts entry '{entry}' is neither a host name, an IP address nor a CIDR range", nameof(allowedHosts));
            }

            if (range is { } r)
            {
                _ranges.Add(r);
            }
            else if (host.StartsWith("*.", StringComparison.Ordinal))
            {
                _hostSuffixes.Add(host[1..]);
            }
            else
            {
                _hosts.Add(host);
            }
        }
    }

    public static AddressPolicy From(SourceOptions options) => new(options.AllowPrivateSources, options.AllowedHosts);

    public static bool IsValidAllowedHost(string entry) => TryParseEntry(entry, out _, out _);

    /// <summary>
    /// Null when a source named <paramref name="host"/> may be fetched from <paramref name="address"/>;
    /// otherwise why not, e.g. "127.0.0.1 is a loopback address" or "db.local resolves to 10.0.0.5, a private address".
    /// </summary>
    public string? RefusalFor(string host, IPAddress address)
    {
        var kind = Classify(address);
        if (_allowPrivate || kind == AddressKind.Public || IsAllowListed(host, address))
        {
            return null;
        }

        var what = Describe(kind);
        if (MetadataAddress.Equals(address) || MetadataAddress.Equals(EmbeddedIPv4(address)))
        {
            what += " (the cloud metadata service)";
        }

        return IPAddress.TryParse(NormalizeHost(host), out var literal) && literal.Equals(address)
            ? $"{address} is {what}"
            : $"{host} resolves to {address}, {what}";
    }

    public static AddressKind Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressKind.Reserved;
        }

        if (address.Equals(IPAddress.IPv6None))
        {
            return AddressKind.Unspecified;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressKind.Loopback;
        }

        if (EmbeddedIPv4(address) is { } v4)
        {
            return ClassifyV4(v4);
        }

        foreach (var (range, kind) in V6Ranges)
        {
            if (range.Contains(address))
            {
                return kind;
            }
        }

        return GlobalUnicast.Contains(address) ? AddressKind.Public : AddressKind.Reserved;
    }

    public static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Public => "a public address",
        AddressKind.Loopback => "a loopback address",
        AddressKind.Unspecified => "an unspecified address",
        AddressKind.Private => "a private address",
        AddressKind.LinkLocal => "a link-local address",
        AddressKind.CarrierGradeNat => "a carrier-grade NAT address",
        AddressKind.Multicast => "a multicast address",
        AddressKind.Broadcast => "a broadcast address",
        AddressKind.Reserved => "a reserved address",
    };

    private bool IsAllowListed(string host, IPAddress address)
    {
        var name = NormalizeHost(host);
        if (_hosts.Contains(name) || _hostSuffixes.Exists(suffix => name.EndsWith(suffix, StringComparison.Ordinal)))
        {
            return true;
        }

        var v4 = EmbeddedIPv4(address);
        return _ranges.Exists(r => r.Contains(address) || (v4 is not null && r.Contains(v4)));
    }

    private static AddressKind ClassifyV4(IPAddress address)
    {
        foreach (var (range, kind) in V4Ranges)
        {
            if (range.Contains(address))
            {
                return kind;
            }
        }

        return AddressKind.Public;
    }

    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        foreach (var (prefix, offset, xor) in Embedding)
        {
            if (prefix.Contains(address))
            {
                var bytes = address.GetAddressBytes().AsSpan(offset, 4).ToArray();
                for (var i = 0; i < bytes.Length; i++)
                {
                    bytes[i] ^= xor;
                }

                return new IPAddress(bytes);
            }
        }

        return null;
    }

    private static bool TryParseEntry(string? entry, out AddressRange? range, out string host)
    {
        range = null;
        host = NormalizeHost(entry ?? "");
        if (host.Length == 0)
        {
            return false;
        }

        if (AddressRange.TryParse(host, out var parsed))
        {
            range = parsed;
            return true;
        }

        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return !host.Contains('/', StringComparison.Ordinal) && Uri.CheckHostName(name) == UriHostNameType.Dns;
    }

    private static string NormalizeHost(string host) =>
        host.Trim().TrimStart('[').TrimEnd('.', ']').ToLowerInvariant();
}
