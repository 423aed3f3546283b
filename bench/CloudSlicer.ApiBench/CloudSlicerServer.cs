using System.Diagnostics;
using System.Globalization;

namespace CloudSlicer.ApiBench;

/// <summary>
/// <c>dist/cloudslicer serve --slicers 0</c> on a loopback port over a fresh data directory: the API alone, as an
/// operator runs it in front of separate slicers. Its output is drained (and kept) for as long as it runs.
/// </summary>
public sealed class CloudSlicerServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Task _drain;

    private CloudSlicerServer(Process process, string url, string owner, string secret, IEnumerable<string> startup)
    {
        _process = process;
        Url = url;
        Owner = owner;
        Secret = secret;
        _lines.AddRange(startup);
        _drain = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public int Pid => _process.Id;

    public string Url { get; }

    public string Owner { get; }

    public string Secret { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToArray();
            }
        }
    }

    /// <summary>The command line, for the report.</summary>
    public static string CommandLine(string executable) =>
        $"{executable} serve --urls http://127.0.0.1:0 --data <fresh temp dir> --slicers 0";

    public static async Task<CloudSlicerServer> StartAsync(string executable, string dataDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "serve", "--urls", "http://127.0.0.1:0", "--data", dataDirectory, "--slicers", "0" })
        {
            start.ArgumentList.Add(arg);
        }

        // Defaults only: a CLOUDSLICER_* variable in the caller's shell must not change what is measured.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CLOUDSLICER_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var startup = new List<string>();
        string? owner = null, secret = null, url = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (url is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException(
                        $"cloudslicer exited before serving:\n{string.Join('\n', startup)}\n{await process.StandardError.ReadToEndAsync(CancellationToken.None)}");
                startup.Add(line);
                owner ??= After(line, "owner:");
                secret ??= After(line, "secret:");
                url = After(line, "CloudSlicer is serving on");
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        if (owner is null || secret is null)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException("cloudslicer did not print a first owner; is the data directory fresh?");
        }

        return new CloudSlicerServer(process, url.TrimEnd('/'), owner, secret, startup);
    }

    /// <summary>The server's own CPU time so far (user + system).</summary>
    public TimeSpan Cpu() => CloudSlicer.Bench.CpuTimes.Of(_process.Id).Own;

    public bool HasExited => _process.HasExited;

    /// <summary>A graceful stop (SIGTERM); killed if it takes more than 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _drain.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }

    private static string? After(string line, string marker) =>
        line.TrimStart().StartsWith(marker, StringComparison.Ordinal) ? line.TrimStart()[marker.Length..].Trim() : null;
}
