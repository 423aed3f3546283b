using System.Globalization;
using System.Security.Cryptography;

namespace CloudSlicer.Slicer;

/// <summary>
/// This process's folder under the configured work directory, <c>{host}-{pid}-{8 hex}</c>, which the process holds
/// an exclusive lock on (<c>.lock</c> inside it, open with <see cref="FileShare.None"/>: an flock) for as long as it
/// runs. A process that was killed cannot clean up after itself, and the kernel drops its lock when it dies; so at
/// start-up every other folder whose lock can be taken is removed, and a folder whose lock is held never is,
/// whatever its name says. Names alone cannot tell: slicers in containers are all PID 1, may share a host name,
/// and may share the work directory through a volume or a network file system. The random part keeps two such
/// processes out of each other's folder.
/// </summary>
public sealed class WorkRoot : IDisposable
{
    public const string LockFileName = ".lock";

    /// <summary>A folder with no lock file (left by a version before locks, or by a crash while being born) is removed once untouched this long.</summary>
    internal static readonly TimeSpan UnlockedFolderAge = TimeSpan.FromDays(1);

    private readonly FileStream _lock;

    private WorkRoot(string path, FileStream heldLock)
    {
        Path = path;
        _lock = heldLock;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    public static WorkRoot Acquire(string workDirectory) =>
        Acquire(workDirectory, Environment.MachineName, Environment.ProcessId, TimeProvider.System);

    internal static WorkRoot Acquire(string workDirectory, string machineName, int processId, TimeProvider clock)
    {
        var root = Directory.CreateDirectory(workDirectory).FullName;
        var name = $"{HostPart(machineName)}-{processId.ToString(CultureInfo.InvariantCulture)}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";

        // Born locked: made under a dot name, locked, then renamed into view, so that no clean-up ever finds
        // this folder without its lock held.
        var birth = Directory.CreateDirectory(System.IO.Path.Combine(root, "." + name)).FullName;
        var heldLock = new FileStream(System.IO.Path.Combine(birth, LockFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        var path = System.IO.Path.Combine(root, name);
        try
        {
            Directory.Move(birth, path);
        }
        catch
        {
            heldLock.Dispose();
            throw;
        }

        var acquired = new WorkRoot(path, heldLock);
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            if (dir != path)
            {
                RemoveIfAbandoned(dir, clock.GetUtcNow());
            }
        }

        return acquired;
    }

    /// <summary>A clean stop: the folder goes (its jobs' directories went with the jobs), then the lock.</summary>
    public void Dispose()
    {
        TryDelete(Path);
        _lock.Dispose();
    }

    /// <summary>The host name as it appears in folder names: letters, digits, '.', '_' and '-' only.</summary>
    internal static string HostPart(string machineName)
    {
        var chars = machineName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray();
        return chars.Length == 0 ? "host" : new string(chars);
    }

    private static void RemoveIfAbandoned(string dir, DateTimeOffset now)
    {
        FileStream taken;
        try
        {
            taken = new FileStream(System.IO.Path.Combine(dir, LockFileName), FileMode.Open, FileAccess.Read, FileShare.None);
        }
        catch (FileNotFoundException)
        {
            if (now - LastWrite(dir) > UnlockedFolderAge)
            {
                TryDelete(dir);
            }

            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;   // its process holds the lock (or the folder just went): it is not ours to touch
        }

        using (taken)
        {
            TryDelete(dir);   // under the dead process's lock, so no other clean-up works on it at the same time
        }
    }

    private static DateTimeOffset LastWrite(string dir)
    {
        try
        {
            return new DirectoryInfo(dir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
                .Select(e => new DateTimeOffset(e.LastWriteTimeUtc))
                .Append(new DateTimeOffset(Directory.GetLastWriteTimeUtc(dir)))
                .Max();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DateTimeOffset.MaxValue;   // cannot tell: keep it
        }
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
}
