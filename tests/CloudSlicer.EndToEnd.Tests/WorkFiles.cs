namespace CloudSlicer.EndToEnd.Tests;

/// <summary>What a server's jobs left in its work directory (the one-box default, <c>&lt;data&gt;/blobs/.work</c>).</summary>
internal static class WorkFiles
{
    /// <summary>
    /// Files under the work directory, except each process's <c>.lock</c>: a running server's own work folder holds its
    /// lock file for as long as it runs, so "the job's work was removed" means no other file is left.
    /// </summary>
    public static int Count(string dataPath)
    {
        var root = Path.Combine(dataPath, "blobs", ".work");
        return Directory.Exists(root)
            ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).Count(f => Path.GetFileName(f) != ".lock")
            : 0;
    }
}
