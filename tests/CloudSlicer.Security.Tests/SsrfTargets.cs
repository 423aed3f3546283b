namespace CloudSlicer.Security.Tests;

/// <summary>
/// The SSRF table of the security review: every spelling of a metadata, loopback, link-local, private or
/// CGNAT address, and the userinfo and <c>#@</c> tricks. Loopback spellings aim at the canaries' ports, so a
/// connection that slipped through would be counted. Used as sources and as redirect targets alike.
/// </summary>
internal static class SsrfTargets
{
    public static string[] All(int canaryPort, int canary6Port) =>
    [
        "http://169.254.169.254/latest/meta-data/",
        $"http://127.0.0.1:{canaryPort}/a.mp4",
        $"http://2130706433:{canaryPort}/a.mp4",
        $"http://0x7f000001:{canaryPort}/a.mp4",
        $"http://0177.0.0.1:{canaryPort}/a.mp4",
        $"http://127.1:{canaryPort}/a.mp4",
        $"http://0.0.0.0:{canaryPort}/a.mp4",
        $"http://localhost:{canaryPort}/a.mp4",
        $"http://[::1]:{canary6Port}/a.mp4",
        $"http://[::ffff:127.0.0.1]:{canaryPort}/a.mp4",
        $"http://[64:ff9b::7f00:1]:{canaryPort}/a.mp4",
        $"http://[2002:7f00:1::]:{canaryPort}/a.mp4",
        $"http://[fe80::1%25eth0]:{canaryPort}/a.mp4",
        "http://10.0.0.1/a.mp4",
        "http://172.16.0.1/a.mp4",
        "http://192.168.1.1/a.mp4",
        "http://100.64.0.1/a.mp4",
        $"http://example.com@127.0.0.1:{canaryPort}/a.mp4",
        $"http://127.0.0.1:{canaryPort}#@example.com/a.mp4",
    ];
}
