using System.Globalization;

namespace CloudSlicer.Testing;

/// <summary>ffmpeg processes found through /proc, as the cancel goal defines "stopped".</summary>
public static class ProcessScan
{
    /// <summary>Pids of ffmpeg processes whose command line mentions <paramref name="fragment"/> (the server's data directory).</summary>
    public static List<int> FfmpegMentioning(string fragment)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;   // it ended while we looked
            }

            var argv = cmdline.Split('\0', StringSplitOptions.RemoveEmptyEntries);
            if (argv.Length > 0 && Path.GetFileName(argv[0]) == "ffmpeg" && argv.Skip(1).Any(a => a.Contains(fragment, StringComparison.Ordinal)))
            {
                found.Add(pid);
            }
        }

        return found;
    }
}
