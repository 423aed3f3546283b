using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// ffmpeg, ffprobe and .NET name the files they fail on; a job's last_error must not, since it would show
/// anyone with a key where the server keeps its data and work.
/// </summary>
public sealed class ServerPathTests : IAsyncLifetime
{
    // Stands in for ffmpeg on a full disk: it fails naming its input and the segment it could not write, as ffmpeg does.
    private const string FullDiskFfmpeg = """
        #!/bin/sh
        prev=""
        for arg in "$@"; do
          case "$arg" in file:*) input="$arg";; esac
          [ "$prev" = "-hls_segment_filename" ] && out="$arg"
          prev="$arg"
        done
        echo "$input: Invalid data found when processing input" >&2
        echo "[hls @ 0x55d0c2a1] Failed to open segment '$out'" >&2
        exit 1
        """;

    private readonly TempDirectory _root = new();
    private LoopbackFileServer _files = null!;

    private string Data => Path.Combine(_root.Path, "data");

    public async Task InitializeAsync()
    {
        var files = Directory.CreateDirectory(Path.Combine(_root.Path, "files")).FullName;
        await MediaClips.GenerateAsync(Path.Combine(files, "clip.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(1), Width = 320, Height = 180 });
        _files = await LoopbackFileServer.StartAsync(files);
    }

    public async Task DisposeAsync()
    {
        await _files.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task An_ffmpeg_failure_names_the_source_not_the_work_directory()
    {
        var ffmpeg = Path.Combine(_root.Path, "full-disk-ffmpeg");
        await File.WriteAllTextAsync(ffmpeg, FullDiskFfmpeg.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(ffmpeg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var job = await RunAsync(new Dictionary<string, string> { ["CLOUDSLICER_Media__FfmpegPath"] = ffmpeg });

        var lastError = AssertNoServerPath(job);
        Assert.Equal(
            "ffmpeg failed with exit code 1: the source: Invalid data found when processing input | [hls] Failed to open segment 'a file on the slicer'",
            lastError);
    }

    [Fact]
    public async Task A_media_tool_that_cannot_start_is_reported_without_its_path_or_the_servers_directory()
    {
        // Copied without its execute bit: start-up finds the file, starting it fails (.NET's message names
        // the path and the server's working directory).
        var ffprobe = Path.Combine(Directory.CreateDirectory(Path.Combine(_root.Path, "tools")).FullName, "ffprobe");
        await File.WriteAllTextAsync(ffprobe, "not runnable\n");

        var job = await RunAsync(new Dictionary<string, string> { ["CLOUDSLICER_Media__FfprobePath"] = ffprobe });

        var lastError = AssertNoServerPath(job);
        Assert.Equal("Could not start ffprobe (Permission denied); check Media:FfmpegPath and Media:FfprobePath", lastError);
    }

    private async Task<JsonObject> RunAsync(Dictionary<string, string> environment)
    {
        await using var server = await ServerProcess.StartAsync(Data, environment);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client = new Api2Client(http, server.Owner!, server.Secret!);
        var (job, _) = await client.WaitFinishedAsync(await client.CreateAsync(_files.UrlOf("clip.mp4")), TimeSpan.FromMinutes(2));
        Assert.Equal(("error", 2), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));   // the operator can mend these
        return job;
    }

    private string AssertNoServerPath(JsonObject job)
    {
        var lastError = job["last_error"]!.GetValue<string>();
        Assert.DoesNotContain(_root.Path, lastError, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp", lastError, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.CurrentDirectory, lastError, StringComparison.Ordinal);
        return lastError;
    }
}
