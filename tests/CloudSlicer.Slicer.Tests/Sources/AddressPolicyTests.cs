using System.Net;
using CloudSlicer.Slicer.Sources;

namespace CloudSlicer.Slicer.Tests.Sources;

public class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressKind.Loopback)]
    [InlineData("127.255.255.254", AddressKind.Loopback)]
    [InlineData("::1", AddressKind.Loopback)]
    [InlineData("0.0.0.0", AddressKind.Unspecified)]
    [InlineData("0.1.2.3", AddressKind.Unspecified)]
    [InlineData("::", AddressKind.Unspecified)]
    [InlineData("10.0.0.1", AddressKind.Private)]
    [InlineData("10.255.255.255", AddressKind.Private)]
    [InlineData("172.16.0.1", AddressKind.Private)]
    [InlineData("172.31.255.255", AddressKind.Private)]
    [InlineData("192.168.1.1", AddressKind.Private)]
    [InlineData("fc00::1", AddressKind.Private)]
    [InlineData("fd00:ec2::254", AddressKind.Private)]
    [InlineData("fec0::1", AddressKind.Private)]
    [InlineData("169.254.169.254", AddressKind.LinkLocal)]
    [InlineData("169.254.0.1", AddressKind.LinkLocal)]
    [InlineData("fe80::1", AddressKind.LinkLocal)]
    [InlineData("febf:ffff::1", AddressKind.LinkLocal)]
    [InlineData("100.64.0.1", AddressKind.CarrierGradeNat)]
    [InlineData("100.100.100.200", AddressKind.CarrierGradeNat)]
    [InlineData("100.127.255.255", AddressKind.CarrierGradeNat)]
    [InlineData("224.0.0.1", AddressKind.Multicast)]
    [InlineData("239.255.255.250", AddressKind.Multicast)]
    [InlineData("ff02::1", AddressKind.Multicast)]
    [InlineData("255.255.255.255", AddressKind.Broadcast)]
    [InlineData("240.0.0.1", AddressKind.Reserved)]
    [InlineData("250.1.2.3", AddressKind.Reserved)]
    [InlineData("198.18.0.1", AddressKind.Reserved)]
    [InlineData("2001:db8::1", AddressKind.Reserved)]
    [InlineData("::2:0:0:0:1", AddressKind.Reserved)]
    // IPv4-mapped
    [InlineData("::ffff:127.0.0.1", AddressKind.Loopback)]
    [InlineData("::ffff:0.0.0.0", AddressKind.Unspecified)]
    [InlineData("::ffff:10.0.0.1", AddressKind.Private)]
    [InlineData("::ffff:192.168.0.1", AddressKind.Private)]
    [InlineData("::ffff:169.254.169.254", AddressKind.LinkLocal)]
    [InlineData("::ffff:100.64.0.1", AddressKind.CarrierGradeNat)]
    [InlineData("::ffff:224.0.0.1", AddressKind.Multicast)]
    [InlineData("::ffff:255.255.255.255", AddressKind.Broadcast)]
    [InlineData("::ffff:240.0.0.1", AddressKind.Reserved)]
    // IPv4-compatible and IPv4-translated
    [InlineData("::127.0.0.1", AddressKind.Loopback)]
    [InlineData("::10.0.0.1", AddressKind.Private)]
    [InlineData("::169.254.169.254", AddressKind.LinkLocal)]
    [InlineData("::ffff:0:127.0.0.1", AddressKind.Loopback)]
    // NAT64 (well-known prefix) and local-use NAT64
    [InlineData("64:ff9b::127.0.0.1", AddressKind.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressKind.LinkLocal)]
    [InlineData("64:ff9b::192.168.0.1", AddressKind.Private)]
    [InlineData("64:ff9b::0.0.0.0", AddressKind.Unspecified)]
    [InlineData("64:ff9b:1::1", AddressKind.Private)]
    // 6to4 and Teredo carry an IPv4 address too
    [InlineData("2002:7f00:1::", AddressKind.Loopback)]
    [InlineData("2002:a00:1::1", AddressKind.Private)]
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe", AddressKind.Loopback)]
    // Public
    [InlineData("8.8.8.8", AddressKind.Public)]
    [InlineData("1.1.1.1", AddressKind.Public)]
    [InlineData("11.0.0.1", AddressKind.Public)]
    [InlineData("172.15.255.255", AddressKind.Public)]
    [InlineData("172.32.0.1", AddressKind.Public)]
    [InlineData("100.63.255.255", AddressKind.Public)]
    [InlineData("100.128.0.1", AddressKind.Public)]
    [InlineData("169.253.255.255", AddressKind.Public)]
    [InlineData("192.169.0.1", AddressKind.Public)]
    [InlineData("223.255.255.255", AddressKind.Public)]
    [InlineData("2606:4700:4700::1111", AddressKind.Public)]
    [InlineData("2001:4860:4860::8888", AddressKind.Public)]
    [InlineData("::ffff:8.8.8.8", AddressKind.Public)]
    [InlineData("64:ff9b::808:808", AddressKind.Public)]
    public void Classifies_addresses_including_ipv6_forms_of_ipv4(string address, AddressKind expected) =>
        Assert.Equal(expected, AddressPolicy.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    public void Refuses_non_public_addresses_by_default(string address) =>
        Assert.NotNull(new AddressPolicy(false, []).RefusalFor("media.example", IPAddress.Parse(address)));

    [Fact]
    public void Allows_public_addresses() =>
        Assert.Null(new AddressPolicy(false, []).RefusalFor("media.example", IPAddress.Parse("93.184.216.34")));

    [Fact]
    public void Allow_private_sources_allows_everything()
    {
        var policy = new AddressPolicy(true, []);
        Assert.Null(policy.RefusalFor("localhost", IPAddress.Loopback));
        Assert.Null(policy.RefusalFor("metadata", IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public void Refusal_names_a_literal_address_and_its_kind() =>
        Assert.Equal("127.0.0.1 is a loopback address", new AddressPolicy(false, []).RefusalFor("127.0.0.1", IPAddress.Loopback));

    [Fact]
    public void Refusal_names_the_host_and_what_it_resolved_to() =>
        Assert.Equal(
            "nas.lan resolves to 192.168.1.20, a private address",
            new AddressPolicy(false, []).RefusalFor("nas.lan", IPAddress.Parse("192.168.1.20")));

    [Fact]
    public void Refusal_of_the_metadata_address_says_so() =>
        Assert.Contains("cloud metadata", new AddressPolicy(false, []).RefusalFor("x.example", IPAddress.Parse("::ffff:169.254.169.254")));

    [Theory]
    [InlineData("10.0.0.0/8", "any.host", "10.20.30.40", true)]
    [InlineData("10.0.0.0/8", "any.host", "::ffff:10.20.30.40", true)]
    [InlineData("10.0.0.0/8", "any.host", "11.0.0.1", true)]          // public anyway
    [InlineData("10.0.0.0/8", "any.host", "192.168.0.1", false)]
    [InlineData("10.9.9.9/8", "any.host", "10.1.1.1", true)]          // host bits are masked off
    [InlineData("192.168.1.20", "nas", "192.168.1.20", true)]
    [InlineData("192.168.1.20", "nas", "192.168.1.21", false)]
    [InlineData("127.0.0.1", "localhost", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "localhost", "127.0.0.2", false)]
    [InlineData("fd00::/8", "v6.lan", "fd00::5", true)]
    [InlineData("fd00::/8", "v6.lan", "fe80::5", false)]
    [InlineData("nas.lan", "nas.lan", "192.168.1.20", true)]
    [InlineData("nas.lan", "NAS.lan.", "192.168.1.20", true)]
    [InlineData("nas.lan", "other.lan", "192.168.1.20", false)]
    [InlineData("*.media.lan", "a.media.lan", "10.0.0.1", true)]
    [InlineData("*.media.lan", "media.lan", "10.0.0.1", false)]
    [InlineData("*.media.lan", "evilmedia.lan", "10.0.0.1", false)]
    public void Allow_list_overrides_by_host_address_or_range(string entry, string host, string address, bool allowed) =>
        Assert.Equal(allowed, new AddressPolicy(false, [entry]).RefusalFor(host, IPAddress.Parse(address)) is null);

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("::1/128", true)]
    [InlineData("192.168.1.20", true)]
    [InlineData("nas.lan", true)]
    [InlineData("*.media.lan", true)]
    [InlineData("", false)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("10.0.0.0/-1", false)]
    [InlineData("not a host/8", false)]
    [InlineData("bad host", false)]
    [InlineData("http://nas.lan/", false)]
    public void Validates_allow_list_entries(string entry, bool valid)
    {
        Assert.Equal(valid, AddressPolicy.IsValidAllowedHost(entry));
        if (!valid)
        {
            Assert.Throws<ArgumentException>(() => new AddressPolicy(false, [entry]));
        }
    }
}
