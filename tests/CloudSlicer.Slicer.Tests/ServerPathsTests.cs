using CloudSlicer.Core.Assets;
using CloudSlicer.Media;
using CloudSlicer.Media.Ffmpeg;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Tests;

/// <summary>A job's last_error never shows where this server keeps its data and work.</summary>
public sealed class ServerPathsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cloudslicer-paths-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_downloaded_file_becomes_the_source_and_other_work_files_a_file_on_the_slicer()
    {
        var work = Path.Combine(_root, "job-1-abc");
        var message = $"ffmpeg failed with exit code 1: file:{work}/source: Invalid data found when processing input | [hls] Failed to open segment '{work}/out/a/seg_00000.m4s'";

        var redacted = ServerPaths.Redact(message, work, _root);

        Assert.Equal(
            "ffmpeg failed with exit code 1: the source: Invalid data found when processing input | [hls] Failed to open segment 'a file on the slicer'",
            redacted);
    }

    [Fact]
    public void Work_paths_with_spaces_and_colons_go_whole()
    {
        var work = Path.Combine(_root, "my data", "job 1");
        var message = $"{work}/source: moov atom not found; {work}/out/http:x/init.mp4: No space left on device";

        var redacted = ServerPaths.Redact(message, work, _root);

        Assert.Equal("the source: moov atom not found; a file on the slicer: No space left on device", redacted);
    }

    [Theory]
    [InlineData("Access to the path '/tmp/cloudslicer/data/blobs/abc/master.m3u8' is denied.", "Access to the path 'a file on the slicer' is denied.")]
    [InlineData("Could not find a part of the path '/var/lib/x/y'.", "Could not find a part of the path 'a file on the slicer'.")]
    [InlineData("[concat] Impossible to open 'file:/etc/passwd'", "[concat] Impossible to open 'a file on the slicer'")]
    [InlineData("/etc/passwd: Permission denied", "a file on the slicer: Permission denied")]
    public void Other_paths_on_this_machine_are_taken_out(string message, string expected) =>
        Assert.Equal(expected, ServerPaths.Redact(message, Path.Combine(_root, "job")));

    [Theory]
    [InlineData("The source URL answered HTTP 404 Not Found: check that the URL is public and correct")]
    [InlineData("Refused to fetch http://127.0.0.1:8080/a/b.mp4: a loopback address (start with --allow-private-sources to allow it)")]
    [InlineData("The source has no video stream; /jobs/create slices video (add audio to an existing asset with /jobs/add_track_audio)")]
    [InlineData("the source sent 3 KB in 60 s, below the 64 KB/s floor")]
    [InlineData("30000/1001 fps and/or 16:9")]
    public void Urls_api_paths_and_ratios_are_left_alone(string message) =>
        Assert.Equal(message, ServerPaths.Redact(message, Path.Combine(_root, "job")));

    [Fact]
    public async Task A_real_ffmpeg_failure_comes_out_without_the_work_path()
    {
        using var work = WorkDirectory.Create(_root, "job", 1);
        var source = work.File(ServerPaths.SourceFileName);
        var junk = new byte[64 * 1024];
        new Random(5).NextBytes(junk);
        await File.WriteAllBytesAsync(source, junk);
        var ffmpeg = new FfmpegRunner(Options.Create(new MediaOptions()), NullLogger<FfmpegRunner>.Instance);
        var ladder = FfmpegCommands.HlsLadder(new HlsLadderRequest(source, work.Directory("out"), [new Ray("a", 320, 180, 30, 300)], HasAudio: true) { Preset = "ultrafast" });

        var ex = await Assert.ThrowsAsync<FfmpegException>(() => ffmpeg.RunAsync(ladder, TimeSpan.FromSeconds(1), null, CancellationToken.None));
        Assert.Contains(work.Path, ex.Message, StringComparison.Ordinal);   // what the owner must not see

        var redacted = ServerPaths.Redact(ex.Message, work.Path, _root);

        Assert.DoesNotContain(_root, redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp", redacted, StringComparison.Ordinal);
        Assert.Contains("the source", redacted, StringComparison.Ordinal);
    }
}
