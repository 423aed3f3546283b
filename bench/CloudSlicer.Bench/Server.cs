using System.Diagnostics;

namespace CloudSlicer.Bench;

/// <summary>One line the server wrote, stamped with the bench's clock when it arrived.</summary>
public sealed record LogLine(long Timestamp, string Text);

/// <summary>
/// <c>dist/cloudslicer serve</c> as a user runs it: default slicer count, preset and ladder, on a loopback port,
/// over a fresh data directory. Its output is drained for as long as it runs and every line is stamped on
/// arrival, so the phases of a job can be read on the same clock as the timed runs.
/// </summary>
public sealed class Server : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<LogLine> _lines = [];
    private readonly Task _drain;

    private Server(Process process, string dataDirectory, string url, string owner, string secret, IEnumerable<LogLine> startup)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Url = url;
        Owner = owner;
        Secret = secret;
        _lines.AddRange(startup);
        _drain = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public string DataDirectory { get; }

    public int Pid => _process.Id;

    public string Url { get; }

    public string Owner { get; }

    public string Secret { get; }

    public IReadOnlyList<LogLine> Lines
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
        $"{executable} serve --urls http://127.0.0.1:0 --data <fresh temp dir> --allow-private-sources";

    public static async Task<Server> StartAsync(string executable, string dataDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "serve", "--urls", "http://127.0.0.1:0", "--data", dataDirectory, "--allow-private-sources" })
        {
            start.ArgumentList.Add(arg);
        }

        // Defaults only: a CLOUDSLICER_* variable in the caller's shell (a preset, a ladder) must not change what is measured.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CLOUDSLICER_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        // The one non-default: debug lines for the media tools ("Starting ffmpeg with ..."), so the report can split
        // CloudSlicer's time into download, probe, encode and poster+store. Logging only; no behaviour changes.
        start.Environment["Logging__LogLevel__CloudSlicer.Media"] = "Debug";

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var startup = new List<LogLine>();
        string? owner = null, secret = null, url = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (url is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException(
                        $"cloudslicer exited before serving:\n{string.Join('\n', startup.Select(l => l.Text))}\n{await process.StandardError.ReadToEndAsync(CancellationToken.None)}");
                startup.Add(new LogLine(Stopwatch.GetTimestamp(), line));
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

        return new Server(process, dataDirectory, url.TrimEnd('/'), owner, secret, startup);
    }

    /// <summary>A graceful stop (SIGTERM), as an operator stops it; killed if it takes more than 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
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
            var stamped = new LogLine(Stopwatch.GetTimestamp(), line);
            lock (_lines)
            {
                _lines.Add(stamped);
            }
        }
    }

    private static string? After(string line, string marker) =>
        line.TrimStart().StartsWith(marker, StringComparison.Ordinal) ? line.TrimStart()[marker.Length..].Trim() : null;
}
