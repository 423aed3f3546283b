namespace CloudSlicer.Storage;

/// <summary>
/// Files and directories only this process's user may read. The job store holds raw API keys (HMAC needs
/// them), so on a shared host the data directory is created 0700 and the database with its WAL and
/// shared-memory files is 0600, whatever the umask says.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) 0700. An existing directory keeps its mode: it may
    /// be shared on purpose (a mount point, a home directory); the files that matter are private anyway.
    /// </summary>
    public static void CreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnlyDirectory);
    }

    /// <summary>
    /// Makes sure a SQLite database file and its <c>-wal</c>/<c>-shm</c> companions are 0600. A missing database
    /// is created empty at 0600 before SQLite opens it (SQLite treats an empty file as a new database, and
    /// creates the companions with the database file's mode); existing ones are tightened.
    /// </summary>
    public static void SecureDatabase(string databasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var created = new FileStream(databasePath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = OwnerOnlyFile,
            });
        }
        catch (IOException) when (File.Exists(databasePath))
        {
            // Already there (or another process just made it): tightened below.
        }

        foreach (var path in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
        {
            if (File.Exists(path) && File.GetUnixFileMode(path) != OwnerOnlyFile)
            {
                File.SetUnixFileMode(path, OwnerOnlyFile);
            }
        }
    }
}
