namespace CloudSlicer.Slicer.Tests;

/// <summary>Start-up clean-up removes only this host's dead folders: the work directory may be shared by several machines.</summary>
public sealed class WorkRootTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cloudslicer-workroot-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void The_folder_is_named_after_the_host_and_the_process()
    {
        var folder = WorkRoot.Prepare(_root, "slicer-7", 4242, _ => true);
        Assert.Equal(Path.Combine(_root, "slicer-7-4242"), folder);
        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public void Another_hosts_folder_is_never_removed_even_when_its_pid_is_not_running_here()
    {
        var theirs = Directory.CreateDirectory(Path.Combine(_root, "slicer-8-1234")).FullName;
        File.WriteAllText(Path.Combine(theirs, "source"), "live work on another machine");

        WorkRoot.Prepare(_root, "slicer-7", 4242, _ => false);

        Assert.True(File.Exists(Path.Combine(theirs, "source")));
    }

    [Fact]
    public void This_hosts_folders_of_dead_processes_are_removed_and_live_ones_kept()
    {
        var dead = Directory.CreateDirectory(Path.Combine(_root, "slicer-7-1111")).FullName;
        var live = Directory.CreateDirectory(Path.Combine(_root, "slicer-7-2222")).FullName;
        var legacyDead = Directory.CreateDirectory(Path.Combine(_root, "3333")).FullName;
        var notOurs = Directory.CreateDirectory(Path.Combine(_root, "keep-me")).FullName;

        WorkRoot.Prepare(_root, "slicer-7", 4242, pid => pid == 2222);

        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(legacyDead));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(notOurs));
    }

    [Theory]
    [InlineData("slicer-7.example", "slicer-7.example")]
    [InlineData("a/b\\c d", "a_b_c_d")]
    [InlineData("", "host")]
    public void Host_names_become_safe_folder_names(string machineName, string expected) =>
        Assert.Equal(expected, WorkRoot.HostPart(machineName));
}
