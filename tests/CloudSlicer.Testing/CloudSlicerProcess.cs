using System.Diagnostics;
using System.Globalization;

namespace CloudSlicer.Testing;

/// <summary>One line the server wrote, stamped (<see cref="Stopwatch.GetTimestamp"/>) when it arrived.</summary>
public sealed record LogLine(long Timestamp, string Text);

/// <summary>
/// A real <c>cloudslicer serve</c> in its own process on a loopback port, as an operator runs it: started with
/// <c>--urls http://127.0.0.1:0</c>, ready once it prints "CloudSlicer is serving on …" (the first owner and
/// secret come before that line on an empty store). Both pipes are drained and kept, each line stamped, for
/// as long as it runs. Tests and benchmarks share this one launcher.
/// </summary>
public sealed class CloudSlicerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<LogLine> _lines = [];
    private readonly Task _drain;

    private CloudSlicerProcess(Process process, string dataDirectory, string url, string? owner, string? secret, IEnumerable<LogLine> startup)
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

    public string Url { get; }

    /// <summary>The first owner, printed only when the data directory was empty.</summary>
    public string? Owner { get; }

    public string? Secret { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public string Output => string.Join('\n', Lines.Select(l => l.Text));

    /// <param name="command">The program and its leading arguments: <c>["dist/cloudslicer"]</c> or <c>["dotnet", "cloudslicer.dll"]</c>.</param>
    /// <param name="dataDirectory">The <c>--data</c> directory.</param>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <param name="clearCloudSlicerVariables">Start from no <c>CLOUDSLICER_*</c> variables, so the caller's shell cannot change what is measured.</param>
    /// <param name="extraArgs">More <c>serve</c> flags.</param>
    public static async Task<CloudSlicerProcess> StartAsync(
        IReadOnlyList<string> command,
        string dataDirectory,
        IReadOnlyDictionary<string, string?>? environment = null,
        bool clearCloudSlicerVariables = false,
        IReadOnlyList<string>? extraArgs = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1).Concat(["serve", "--urls", "http://127.0.0.1:0", "--data", dataDirectory]).Concat(extraArgs ?? []))
        {
            start.ArgumentList.Add(arg);
        }

        if (clearCloudSlicerVariables)
        {
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CLOUDSLICER_", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                start.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
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

        return new CloudSlicerProcess(process, dataDirectory, url.TrimEnd('/'), owner, secret, startup);
    }

    /// <summary>A graceful stop (SIGTERM), as an operator stops it; killed if it takes more than 30 s.</summary>
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

    /// <summary>Kills the server and its ffmpeg children at once, as a power cut would.</summary>
    public void Crash()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
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
