namespace CloudSlicer.Hosting;

/// <summary>
/// The file-based readiness signal (<c>--ready-file</c>): present while the slicers are ready, removed when the
/// process starts to stop. Written whole through a rename, so a probe never reads half of it.
/// </summary>
public static class ReadyFile
{
    public static void Write(string path, string content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = $"{full}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, full, overwrite: true);
    }

    public static void Remove(string path)
    {
        try
        {
            File.Delete(Path.GetFullPath(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Stopping anyway; an orchestrator that still sees the file sees the process gone too.
        }
    }
}
