using System.Diagnostics;
using System.Globalization;

namespace CloudSlicer.DispatchBench;

/// <summary>
/// Scheduling priority for everything on the dispatch path, for a machine shared with other work: a dispatch is a
/// chain of wake-ups (client, API, PostgreSQL backends, listener, slicer), and on busy cores each one queues behind
/// whatever else runs. Linux keeps a niceness per thread and a new thread or child inherits its creator's.
/// </summary>
public static class Niceness
{
    /// <summary><c>nice -n N</c> before a command, or nothing for 0.</summary>
    public static IEnumerable<string> Prefix(int nice) =>
        nice == 0 ? [] : ["nice", "-n", nice.ToString(CultureInfo.InvariantCulture)];

    /// <summary>Sets every thread of this process (so every thread they start later) to <paramref name="nice"/>.</summary>
    public static async Task ApplyToThisProcessAsync(int nice, CancellationToken ct)
    {
        var start = new ProcessStartInfo("renice") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-n", nice.ToString(CultureInfo.InvariantCulture), "-p" }.Concat(Directory.GetDirectories("/proc/self/task").Select(Path.GetFileName))!)
        {
            start.ArgumentList.Add(arg!);
        }

        using var renice = Process.Start(start) ?? throw new InvalidOperationException("renice did not start");
        var stderr = renice.StandardError.ReadToEndAsync(ct);
        await renice.StandardOutput.ReadToEndAsync(ct);
        await renice.WaitForExitAsync(ct);
        if (renice.ExitCode != 0)
        {
            throw new InvalidOperationException($"renice -n {nice} failed (a negative niceness needs root): {(await stderr).Trim()}");
        }
    }
}
