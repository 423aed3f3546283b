using System.Diagnostics;

namespace CloudSlicer.DispatchBench;

/// <summary>
/// <c>dist/cloudslicer slicer</c> in its own process, defaults only (<c>CLOUDSLICER_*</c> variables cleared), ready once
/// it prints "CloudSlicer slicer is running …". Both pipes are drained and kept.
/// </summary>
public sealed class SlicerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Task _drain;

    private SlicerProcess(Process process, IEnumerable<string> startup)
    {
        _process = process;
        _lines.AddRange(startup);
        _drain = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <param name="command">The program and its leading arguments: <c>["dist/cloudslicer"]</c>, or behind <c>nice</c>.</param>
    public static async Task<SlicerProcess> StartAsync(IReadOnlyList<string> command, IReadOnlyList<string> args, CancellationToken ct)
    {
        var executable = command[0];
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1).Append("slicer").Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CLOUDSLICER_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable} slicer");
        var startup = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
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
                    return new SlicerProcess(process, startup);
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

    /// <summary>SIGTERM, as an orchestrator stops it; killed if it takes more than 30 s.</summary>
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
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
