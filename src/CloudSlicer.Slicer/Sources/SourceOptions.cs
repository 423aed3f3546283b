using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Sources;

/// <summary>How slicers fetch sources, tracks, captions and sidecars (configuration section "Sources").</summary>
public sealed class SourceOptions
{
    public const string Section = "Sources";

    /// <summary>
    /// Lets sources on loopback, private, link-local and other non-public addresses be fetched.
    /// Set by <c>--allow-private-sources</c>; meant for a trusted network, never for a public service.
    /// </summary>
    public bool AllowPrivateSources { get; set; }

    /// <summary>Largest source accepted, checked against Content-Length and against the bytes that arrive.</summary>
    public long MaxBytes { get; set; } = 90L * 1000 * 1000 * 1000;

    /// <summary>Resolving the host and opening the TCP (and TLS) connection must finish within this.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A server that sends nothing for this long has failed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The slowest average a download may keep over each <see cref="RateWindow"/>: a server that trickles a byte
    /// now and then never trips <see cref="IdleTimeout"/>, and would otherwise hold a slicer for good. With a
    /// Content-Length it also sets the download's deadline (ConnectTimeout + RateWindow + length at this rate).
    /// </summary>
    public long MinBytesPerSecond { get; set; } = 64 * 1024;

    /// <summary>The span over which <see cref="MinBytesPerSecond"/> is averaged; the first starts when the headers arrive.</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Everything for one sidecar (a <c>.cfg</c>): connecting, headers and body. A slower one is skipped.</summary>
    public TimeSpan SidecarTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Talks to <c>s3://</c> sources' endpoints over plain http instead of https: for a local S3-protocol test
    /// server or a trusted network only, since the media then crosses the network readable by anyone on the path
    /// (the secret key itself is never sent; requests are signed).
    /// </summary>
    public bool S3PlainHttp { get; set; }

    /// <summary>Redirects followed before giving up; each hop is checked like the first URL.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Host names (<c>nas.example</c>, <c>*.media.example</c>), IP addresses or CIDR ranges (<c>10.1.0.0/16</c>)
    /// that may be fetched even though they are not public.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}

internal sealed class SourceOptionsValidator : IValidateOptions<SourceOptions>
{
    public ValidateOptionsResult Validate(string? name, SourceOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBytes <= 0)
        {
            failures.Add("Sources:MaxBytes must be a positive number of bytes");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add("Sources:ConnectTimeout must be positive (for example 00:00:15)");
        }

        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add("Sources:IdleTimeout must be positive (for example 00:01:00)");
        }

        if (options.MinBytesPerSecond <= 0)
        {
            failures.Add("Sources:MinBytesPerSecond must be a positive number of bytes per second (for example 65536)");
        }

        // Timers take at most about 49 days; a day is already far more than a window or a sidecar needs.
        if (options.RateWindow <= TimeSpan.Zero || options.RateWindow > TimeSpan.FromDays(1))
        {
            failures.Add("Sources:RateWindow must be positive and at most a day (for example 00:01:00)");
        }

        if (options.SidecarTimeout <= TimeSpan.Zero || options.SidecarTimeout > TimeSpan.FromDays(1))
        {
            failures.Add("Sources:SidecarTimeout must be positive and at most a day (for example 00:00:10)");
        }

        if (options.MaxRedirects is < 0 or > 20)
        {
            failures.Add("Sources:MaxRedirects must be between 0 and 20");
        }

        foreach (var entry in options.AllowedHosts)
        {
            if (!AddressPolicy.IsValidAllowedHost(entry))
            {
                failures.Add($"Sources:AllowedHosts entry '{entry}' is neither a host name, an IP address nor a CIDR range such as 10.0.0.0/8");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
