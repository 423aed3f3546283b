using System.Net;
using CloudSlicer.Slicer.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Tests.Sources;

/// <summary>Fetchers with test-sized timeouts, and a resolver that answers from a table (fake DNS).</summary>
internal static class Fetchers
{
    public static SourceFetcher Create(Action<SourceOptions>? configure = null)
    {
        var options = Defaults(configure);
        return new SourceFetcher(Options.Create(options), NullLogger<SourceFetcher>.Instance);
    }

    /// <summary>The guard off, as with --allow-private-sources: for tests about everything but the guard.</summary>
    public static SourceFetcher Private(Action<SourceOptions>? configure = null) =>
        Create(o =>
        {
            o.AllowPrivateSources = true;
            configure?.Invoke(o);
        });

    public static SourceFetcher WithDns(Dictionary<string, IPAddress[]> dns, Action<SourceOptions>? configure = null) =>
        new(Defaults(configure), NullLogger<SourceFetcher>.Instance, (host, _) =>
            Task.FromResult(dns.TryGetValue(host, out var addresses) ? addresses : []), TimeProvider.System);

    public static SourceFetcher WithResolver(HostResolver resolve, Action<SourceOptions>? configure = null) =>
        new(Defaults(configure), NullLogger<SourceFetcher>.Instance, resolve, TimeProvider.System);

    private static SourceOptions Defaults(Action<SourceOptions>? configure)
    {
        var options = new SourceOptions { ConnectTimeout = TimeSpan.FromSeconds(5), IdleTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return options;
    }
}

/// <summary>Records reports as they happen (Progress&lt;T&gt; would post them later, on the thread pool).</summary>
internal sealed class RecordingProgress : IProgress<double>
{
    private readonly List<double> _values = [];

    public IReadOnlyList<double> Values
    {
        get
        {
            lock (_values)
            {
                return [.. _values];
            }
        }
    }

    public void Report(double value)
    {
        lock (_values)
        {
            _values.Add(value);
        }
    }
}

/// <summary>A directory for downloads, removed after the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cloudslicer-slicer-tests", Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
