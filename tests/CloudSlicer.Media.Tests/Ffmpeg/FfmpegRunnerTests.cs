using System.Diagnostics;
using CloudSlicer.Core.Assets;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Testing;
using Xunit.Abstractions;

namespace CloudSlicer.Media.Tests.Ffmpeg;

[Collection(MediaCollection.Name)]
public sealed class FfmpegRunnerTests(MediaFixture media, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Cancelling_kills_ffmpeg_within_a_second()
    {
        var args = await SlowEncodeAsync();
        var progress = new RecordingProgress();
        using var cts = new CancellationTokenSource();
        var run = MediaFixture.Ffmpeg().RunAsync(args, TimeSpan.FromSeconds(30), progress, cts.Token);
        await progress.FirstReport.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(run.IsCompleted);
        Assert.NotEmpty(FfmpegProcessesWriting(_dir.Path));

        var stopwatch = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        stopwatch.Stop();
        output.WriteLine($"cancel to stopped: {stopwatch.Elapsed.TotalMilliseconds:0} ms");

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"stopped after {stopwatch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Empty(FfmpegProcessesWriting(_dir.Path));
    }

    [Fact]
    public async Task A_token_cancelled_before_the_start_starts_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            MediaFixture.Ffmpeg().RunAsync(FfmpegCommands.Poster(media.Clip, _dir.File("p.jpg"), TimeSpan.Zero, 180), TimeSpan.Zero, null, cts.Token));
        Assert.False(File.Exists(_dir.File("p.jpg")));
    }

    [Fact]
    public async Task A_stalled_ffmpeg_is_stopped_with_a_clear_error()
    {
        var args = await SlowEncodeAsync();

        // ffmpeg writes a progress block every 0.5 s, so a 100 ms watchdog fires between two of them.
        var runner = MediaFixture.Ffmpeg(new MediaOptions { StallTimeout = TimeSpan.FromMilliseconds(100) });
        var ex = await Assert.ThrowsAsync<FfmpegException>(() => runner.RunAsync(args, TimeSpan.FromSeconds(30), null, CancellationToken.None));

        Assert.Null(ex.ExitCode);
        Assert.StartsWith("ffmpeg made no progress for 0.1 s and was stopped", ex.Message);
        Assert.Empty(FfmpegProcessesWriting(_dir.Path));
    }

    [Fact]
    public async Task A_damaged_source_fails_with_ffmpegs_own_words()
    {
        var damaged = _dir.File("damaged.mp4");
        var bytes = await File.ReadAllBytesAsync(media.Clip);
        Array.Clear(bytes, 0, 64 * 1024); // faststart put the moov box at the front: it is gone now
        await File.WriteAllBytesAsync(damaged, bytes);
        var rays = new[] { new Ray("a", 320, 180, 30, 300) };

        var ex = await Assert.ThrowsAsync<FfmpegException>(() => MediaFixture.Ffmpeg().RunAsync(
            FfmpegCommands.HlsLadder(new HlsLadderRequest(damaged, _dir.File("out"), rays, HasAudio: true) { Preset = "ultrafast" }),
            TimeSpan.FromSeconds(9), null, CancellationToken.None));

        output.WriteLine(ex.Message);
        Assert.Equal(1, ex.ExitCode);
        Assert.StartsWith("ffmpeg failed with exit code 1: ", ex.Message);
        Assert.Contains("Invalid data found when processing input", ex.Message);
        Assert.DoesNotContain(" @ 0x", ex.Message);
    }

    [Fact]
    public async Task Random_bytes_fail_as_a_media_error()
    {
        var junk = _dir.File("junk.mp4");
        var bytes = new byte[256 * 1024];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(junk, bytes);
        var rays = new[] { new Ray("a", 320, 180, 30, 300) };

        var ex = await Assert.ThrowsAsync<FfmpegException>(() => MediaFixture.Ffmpeg().RunAsync(
            FfmpegCommands.HlsLadder(new HlsLadderRequest(junk, _dir.File("out"), rays, HasAudio: true) { Preset = "ultrafast" }),
            TimeSpan.FromSeconds(9), null, CancellationToken.None));

        Assert.NotEqual(0, ex.ExitCode);
        Assert.NotEmpty(ex.StderrTail);
    }

    [Fact]
    public async Task Ffmpeg_itself_refuses_a_playlist_posing_as_the_source()
    {
        File.Copy(media.Clip, _dir.File("clip.mp4"));
        var playlist = _dir.File("source.mp4");
        await File.WriteAllTextAsync(playlist, "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:9,\nclip.mp4\n#EXT-X-ENDLIST\n");
        var rays = new[] { new Ray("a", 320, 180, 30, 300) };

        var ex = await Assert.ThrowsAsync<FfmpegException>(() => MediaFixture.Ffmpeg().RunAsync(
            FfmpegCommands.HlsLadder(new HlsLadderRequest(playlist, _dir.File("out"), rays, HasAudio: true) { Preset = "ultrafast" }),
            TimeSpan.FromSeconds(9), null, CancellationToken.None));

        Assert.Contains("[hls] Format not on whitelist", ex.Message);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public async Task A_missing_ffmpeg_is_a_media_error()
    {
        var runner = MediaFixture.Ffmpeg(new MediaOptions { FfmpegPath = "/nonexistent/ffmpeg" });

        var ex = await Assert.ThrowsAsync<MediaException>(() => runner.RunAsync(["-version"], TimeSpan.Zero, null, CancellationToken.None));

        Assert.Equal("Could not start ffmpeg (No such file or directory); check Media:FfmpegPath and Media:FfprobePath", ex.Message);
    }

    /// <summary>A 30 s source upscaled to 1080p at preset medium: many seconds of work on two cores.</summary>
    private async Task<IReadOnlyList<string>> SlowEncodeAsync()
    {
        var source = await MediaClips.GenerateAsync(
            _dir.File("long.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(30), Width = 320, Height = 180 }, CancellationToken.None);
        var rays = new[] { new Ray("a", 1920, 1080, 30, 5000) };
        return FfmpegCommands.HlsLadder(new HlsLadderRequest(source, _dir.File("out"), rays, HasAudio: true) { Preset = "medium" });
    }

    /// <summary>ffmpeg processes whose command line mentions <paramref name="path"/> (read from /proc; Linux only).</summary>
    private static List<int> FfmpegProcessesWriting(string path) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ReadCmdline(pid) is { } cmd && cmd.StartsWith("ffmpeg", StringComparison.Ordinal) && cmd.Contains(path, StringComparison.Ordinal))
            .ToList();

    private static string? ReadCmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null; // the process ended while we looked
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
