using System.Diagnostics;
using System.Globalization;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// A real <c>cloudslicer slicer</c> process (this build's cloudslicer.dll) with the same short leases, small ladder
/// and fast preset as <see cref="CloudSlicer.Testing.ServerProcess"/>; ready once it prints
/// "CloudSlicer slicer is running …". Both pipes are drained and kept.
/// </summary>
internal sealed class SlicerProcess : IAsyncDisposable
{
    private static readonly Dictionary<string, string> TestDefaults = new()
    {
        ["CLOUDSLICER_Queue__LeaseDuration"] = "00:00:06",
        ["CLOUDSLICER_Queue__MaxAttempts"] = "2",
        ["CLOUDSLICER_Queue__RetryDelay"] = "00:00:00.200",
        ["CLOUDSLICER_Slicer__IdlePoll"] = "00:00:00.200",
        ["CLOUDSLICER_Slicer__HeartbeatInterval"] = "00:00:01",
        ["CLOUDSLICER_Slicer__Ladder__0__Height"] = "144",
        ["CLOUDSLICER_Slicer__Ladder__0__VideoKbps"] = "200",
        ["CLOUDSLICER_Slicer__Ladder__1__Height"] = "240",
        ["CLOUDSLICER_Slicer__Ladder__1__VideoKbps"] = "400",
        ["CLOUDSLICER_Media__X264Preset"] = "ultrafast",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Task _drain;

    private SlicerProcess(Process process, string readyLine, IEnumerable<string> startup)
    {
        _process = process;
        ReadyLine = readyLine;
        _lines.AddRange(startup);
        _drain = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    /// <summary>"CloudSlicer slicer is running N slicers as {host}:{pid}[; health on URL]".</summary>
    public string ReadyLine { get; }

    /// <summary>What its slicers' ids start with: <c>{host}:{pid}</c>.</summary>
    public string SlicerIdPrefix => ReadyLine.Split(" as ")[1].Split(';')[0];

    /// <summary>The /healthz URL, when started with --health-urls.</summary>
    public string? HealthUrl => ReadyLine.Split("; health on ") is [_, var url] ? url : null;

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <param name="args">Flags after <c>slicer</c> (--db, --blobs, --count ...).</param>
    /// <param name="environment">Variables over the test defaults.</param>
    public static async Task<SlicerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "cloudslicer.dll"), "slicer", "--data", dataDirectory, "--allow-private-sources" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CLOUDSLICER_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in TestDefaults.Concat(environment ?? new Dictionary<string, string>()))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cloudslicer slicer");
        var startup = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException(
                        $"cloudslicer slicer exited before it was ready:\n{string.Join('\n', startup)}\n{await process.StandardError.ReadToEndAsync(CancellationToken.None)}");
                startup.Add(line);
                if (line.StartsWith("CloudSlicer slicer is running ", StringComparison.Ordinal))
                {
                    return new SlicerProcess(process, line, startup);
                }
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops it; returns its exit code (killed, and -1, if it takes more than 60 s).</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return -1;
        }

        return _process.ExitCode;
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
}
