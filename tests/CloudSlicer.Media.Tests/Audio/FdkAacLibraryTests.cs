using CloudSlicer.Media.Audio;

namespace CloudSlicer.Media.Tests.Audio;

public sealed class FdkAacLibraryTests
{
    [Fact]
    public void A_missing_library_is_a_media_error_that_says_how_to_install_it()
    {
        var ex = Assert.Throws<MediaException>(() => FdkAacLibrary.EnsureAvailable("libfdk-aac-not-installed.so.9"));

        Assert.Equal("HE-AAC needs libfdk-aac2 from Debian non-free: run scripts/deps.sh", ex.Message);
    }

    [Fact]
    public void The_library_scripts_deps_installs_is_found() =>
        Assert.True(FdkAacLibrary.IsAvailable, FdkAacLibrary.MissingMessage);
}
