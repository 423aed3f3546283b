using System.Diagnostics;
using CloudSlicer.Testing;

namespace CloudSlicer.Slicer.Tests;

/// <summary>
/// Start-up clean-up removes a work folder only when its lock can be taken (its process is gone), whatever the
/// folder's name says: slicers in containers are all PID 1, may share a host name and a work directory.
/// </summary>
public sealed class WorkRootTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cloudslicer-workroot-{Guid.NewGuid():N}");
    private readonly List<Process> _holders = [];

    public void Dispose()
    {
        foreach (var holder in _holders)
        {
            if (!holder.HasExited)
            {
                holder.Kill();
                holder.WaitForExit();
            }

            holder.Dispose();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void The_folder_is_named_after_the_host_the_process_and_a_random_tag_and_holds_its_lock_file()
    {
        using var first = Acquire("slicer-7", 1);
        using var second = Acquire("slicer-7", 1);

        Assert.Matches("^slicer-7-1-[0-9a-f]{8}$", Path.GetFileName(first.Path));
        Assert.NotEqual(first.Path, second.Path);
        Assert.True(File.Exists(Path.Combine(first.Path, WorkRoot.LockFileName)));
        Assert.Throws<IOException>(() => new FileStream(Path.Combine(first.Path, WorkRoot.LockFileName), FileMode.Open, FileAccess.Read, FileShare.None));
    }

    [Fact]
    public void Two_processes_with_the_same_host_and_pid_on_one_directory_never_remove_each_others_folder()
    {
        // Two containers, both PID 1, both called "slicer", on one shared volume.
        using var first = Acquire("slicer", 1);
        File.WriteAllText(Path.Combine(first.Path, "source"), "live work");

        using (var second = Acquire("slicer", 1))
        {
            File.WriteAllText(Path.Combine(second.Path, "source"), "live work too");
            using var third = Acquire("slicer", 1);

            Assert.True(File.Exists(Path.Combine(second.Path, "source")));
        }

        Assert.True(File.Exists(Path.Combine(first.Path, "source")));
    }

    [Fact]
    public void A_clean_stop_removes_its_own_folder()
    {
        var root = Acquire("slicer", 1);
        File.WriteAllText(Path.Combine(root.Path, "left-over"), "");

        root.Dispose();

        Assert.False(Directory.Exists(root.Path));
    }

    [Fact]
    public async Task A_folder_locked_by_a_live_process_is_kept_and_removed_once_that_process_is_killed()
    {
        // Named as if it were this very process: the name must not matter, only the lock.
        var theirs = Directory.CreateDirectory(Path.Combine(_root, $"slicer-{Environment.ProcessId}-0badf00d")).FullName;
        File.WriteAllText(Path.Combine(theirs, "source"), "live work in another process");
        var holder = await HoldLockAsync(theirs);

        using (Acquire("slicer", Environment.ProcessId))
        {
            Assert.True(File.Exists(Path.Combine(theirs, "source")));
        }

        holder.Kill();   // as kill -9: no clean-up of its own, the kernel drops its lock
        await holder.WaitForExitAsync();

        using var next = Acquire("slicer", 2);
        Assert.False(Directory.Exists(theirs));
        Assert.True(Directory.Exists(next.Path));
    }

    [Fact]
    public void A_folder_whose_holder_died_is_removed_whatever_its_name_says()
    {
        // Left with its lock file by a process that is gone: nothing holds the lock.
        var dead = Directory.CreateDirectory(Path.Combine(_root, "other-host-99-12345678")).FullName;
        File.WriteAllText(Path.Combine(dead, WorkRoot.LockFileName), "");
        var unborn = Directory.CreateDirectory(Path.Combine(_root, ".slicer-98-87654321")).FullName;
        File.WriteAllText(Path.Combine(unborn, WorkRoot.LockFileName), "");

        using var root = Acquire("slicer", 1);

        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(unborn));
    }

    [Fact]
    public void A_folder_without_a_lock_file_is_kept_while_recent_and_removed_once_untouched_for_a_day()
    {
        // Folders of versions before locks ({host}-{pid}): possibly still running during a rolling upgrade.
        var recent = Directory.CreateDirectory(Path.Combine(_root, "slicer-1111")).FullName;
        File.WriteAllText(Path.Combine(recent, "source"), "");
        var old = Directory.CreateDirectory(Path.Combine(_root, "slicer-2222")).FullName;
        var oldFile = Path.Combine(old, "source");
        File.WriteAllText(oldFile, "");
        var longAgo = TimeProvider.System.GetUtcNow().UtcDateTime - WorkRoot.UnlockedFolderAge * 2;
        File.SetLastWriteTimeUtc(oldFile, longAgo);
        Directory.SetLastWriteTimeUtc(old, longAgo);

        using var root = Acquire("slicer", 1);

        Assert.True(File.Exists(Path.Combine(recent, "source")));
        Assert.False(Directory.Exists(old));
    }

    [Theory]
    [InlineData("slicer-7.example", "slicer-7.example")]
    [InlineData("a/b\\c d", "a_b_c_d")]
    [InlineData("", "host")]
    public void Host_names_become_safe_folder_names(string machineName, string expected) =>
        Assert.Equal(expected, WorkRoot.HostPart(machineName));

    private WorkRoot Acquire(string host, int pid) => WorkRoot.Acquire(_root, host, pid, TimeProvider.System);

    /// <summary>Another real process holding the folder's lock (flock(1) takes the same kind of lock .NET does; --no-fork so killing it frees the lock).</summary>
    private async Task<Process> HoldLockAsync(string folder)
    {
        var lockFile = Path.Combine(folder, WorkRoot.LockFileName);
        File.WriteAllText(lockFile, "");
        var start = new ProcessStartInfo("flock") { UseShellExecute = false };
        foreach (var arg in new[] { "--exclusive", "--no-fork", lockFile, "sleep", "600" })
        {
            start.ArgumentList.Add(arg);
        }

        var holder = Process.Start(start)!;
        _holders.Add(holder);
        await Eventually.UntilAsync(
            () => Task.FromResult(IsLocked(lockFile)), locked => locked, Deadline, "the other process to hold the lock");
        return holder;
    }

    private static bool IsLocked(string lockFile)
    {
        try
        {
            using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
