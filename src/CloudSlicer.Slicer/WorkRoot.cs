using System.Globalization;

namespace CloudSlicer.Slicer;

/// <summary>
/// This process's folder under the configured work directory (one folder per process id). A process that
/// was killed cannot clean up after itself, so at start-up folders of processes no longer running are removed.
/// </summary>
public static class WorkRoot
{
    public static string Prepare(string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        foreach (var dir in Directory.EnumerateDirectories(workDirectory))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && !IsRunning(pid))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return Directory.CreateDirectory(Path.Combine(workDirectory, Environment.ProcessId.ToString(CultureInfo.InvariantCulture))).FullName;
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
