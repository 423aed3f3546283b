using System.Globalization;

namespace CloudSlicer.Slicer;

/// <summary>
/// This process's folder under the configured work directory, named <c>{host}-{pid}</c>. A process that was
/// killed cannot clean up after itself, so at start-up the folders of this host's processes that no longer
/// run are removed. The host name is part of the name because the work directory may sit on a file system
/// shared by several slicer machines: a process id means nothing on another host, so another host's folder
/// is never touched, however dead its pid looks from here.
/// </summary>
public static class WorkRoot
{
    public static string Prepare(string workDirectory) =>
        Prepare(workDirectory, Environment.MachineName, Environment.ProcessId, IsRunning);

    internal static string Prepare(string workDirectory, string machineName, int processId, Func<int, bool> isRunning)
    {
        var host = HostPart(machineName);
        Directory.CreateDirectory(workDirectory);
        foreach (var dir in Directory.EnumerateDirectories(workDirectory))
        {
            if (OwnerOf(Path.GetFileName(dir), host) is ({ } dirHost, var pid)
                && dirHost == host && pid != processId && !isRunning(pid))
            {
                TryDelete(dir);
            }
        }

        return Directory.CreateDirectory(Path.Combine(workDirectory, $"{host}-{processId.ToString(CultureInfo.InvariantCulture)}")).FullName;
    }

    /// <summary>The host name as it appears in folder names: letters, digits, '.', '_' and '-' only.</summary>
    internal static string HostPart(string machineName)
    {
        var chars = machineName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray();
        return chars.Length == 0 ? "host" : new string(chars);
    }

    /// <summary>
    /// <c>{host}-{pid}</c> → (host, pid). A bare <c>{pid}</c> is a folder written before host names were added:
    /// it can only be this host's own (those versions ran one machine per work directory), so it counts as ours.
    /// </summary>
    private static (string? Host, int Pid) OwnerOf(string name, string thisHost)
    {
        var dash = name.LastIndexOf('-');
        var pidText = dash < 0 ? name : name[(dash + 1)..];
        if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return (null, 0);
        }

        return (dash < 0 ? thisHost : name[..dash], pid);
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An orphaned ffmpeg may still be writing there; the folder is tried again at the next start,
            // and a leftover folder must not stop the slicers from starting.
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
