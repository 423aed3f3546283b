using System.Diagnostics;
using System.Text;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// The real <c>cloudslicer serve</c> in its own process on a loopback port, as a user runs it. Stopping it
/// sends SIGTERM (a graceful stop); <see cref="Crash"/> kills it outright.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _drain;

    private ServerProcess(Process process, string url, string? owner, string? secret, string startupOutput)
    {
        _process = process;
        Url = url;
        Owner = owner;
        Secret = secret;
        _output.Append(startupOutput);

        // Keep both pipes drained so the server never blocks on a full pipe.
        _drain = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public string Url { get; }

    /// <summary>The first owner, printed only when the data directory was empty.</summary>
    public string? Owner { get; }

    public string? Secret { get; }

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null, params string[] extraArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "cloudslicer.dll"), "serve", "--urls", "http://127.0.0.1:0", "--data", dataDirectory, "--allow-private-sources" }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        // Short leases and few attempts keep failure and crash tests quick; the mechanism is the same.
        start.Environment["CLOUDSLICER_Queue__LeaseDuration"] = "00:00:06";
        start.Environment["CLOUDSLICER_Queue__MaxAttempts"] = "2";
        start.Environment["CLOUDSLICER_Queue__RetryDelay"] = "00:00:00.200";
        start.Environment["CLOUDSLICER_Slicer__IdlePoll"] = "00:00:00.200";
        start.Environment["CLOUDSLICER_Slicer__HeartbeatInterval"] = "00:00:01";
        start.Environment["CLOUDSLICER_Slicer__Ladder__0__Height"] = "144";
        start.Environment["CLOUDSLICER_Slicer__Ladder__0__VideoKbps"] = "200";
        start.Environment["CLOUDSLICER_Slicer__Ladder__1__Height"] = "240";
        start.Environment["CLOUDSLICER_Slicer__Ladder__1__VideoKbps"] = "400";
        start.Environment["CLOUDSLICER_Media__X264Preset"] = "ultrafast";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cloudslicer");
        var output = new StringBuilder();
        string? owner = null, secret = null, url = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (url is null)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"cloudslicer exited before serving: {output}{await process.StandardError.ReadToEndAsync()}");
            output.AppendLine(line);
            owner ??= After(line, "owner:");
            secret ??= After(line, "secret:");
            url = After(line, "CloudSlicer is serving on");
        }

        return new ServerProcess(process, url, owner, secret, output.ToString());
    }

    /// <summary>A graceful stop (SIGTERM), waiting for the process to exit.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
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
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static string? After(string line, string marker) =>
        line.TrimStart().StartsWith(marker, StringComparison.Ordinal) ? line.TrimStart()[marker.Length..].Trim() : null;
}
