using System.Globalization;
using System.Net;

namespace CloudSlicer.Slicer.Sources;

/// <summary>
/// A CIDR range matched on raw bytes of the same address family. System.Net.IPNetwork.Contains is not
/// used because it quietly converts IPv4-mapped IPv6 addresses (so "::ffff:10.0.0.1" matched 2000::/3),
/// and the guard needs exact, predictable matching; IPv6 forms of IPv4 are unwrapped explicitly instead.
/// </summary>
internal readonly record struct AddressRange(byte[] Prefix, int Length)
{
    public static AddressRange Parse(string cidr) =>
        TryParse(cidr, out var range) ? range : throw new FormatException($"'{cidr}' is not a CIDR range");

    /// <summary>"10.0.0.0/8", "fd00::/8", or one address ("10.1.2.3" = /32). Host bits are ignored: "10.1.2.3/8" is 10.0.0.0/8.</summary>
    public static bool TryParse(string text, out AddressRange range)
    {
        range = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address))
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        var length = bytes.Length * 8;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bytes.Length * 8))
        {
            return false;
        }

        range = new AddressRange(bytes, length);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (bytes.Length != Prefix.Length)
        {
            return false;
        }

        var whole = Length / 8;
        if (!bytes.AsSpan(0, whole).SequenceEqual(Prefix.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = Length % 8;
        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (bytes[whole] & mask) == (Prefix[whole] & mask);
    }
}
