using System.Text;
using CloudSlicer.Media.Probe;
using CloudSlicer.Testing;

namespace CloudSlicer.Media.Tests.Probe;

[Collection(MediaCollection.Name)]
public sealed class FfprobeRunnerTests(MediaFixture media) : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FfprobeRunner _ffprobe = MediaFixture.Ffprobe();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Describes_a_generated_clip()
    {
        var probe = await _ffprobe.ProbeAsync(media.Clip, CancellationToken.None);
        var source = probe.ToSourceInfo();

        Assert.Equal(("mov,mp4,m4a,3gp,3g2,mj2", 640, 360, 30.0, true), (source.Container, source.Width, source.Height, source.FrameRate, source.HasAudio));
        Assert.Equal(9.0, source.Duration.TotalSeconds, precision: 1);
    }

    [Fact]
    public async Task Reports_the_display_size_of_a_rotated_phone_clip()
    {
        var clip = await MediaClips.GenerateAsync(
            _dir.File("rotated.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(1), Width = 320, Height = 180, Rotation = 90 }, CancellationToken.None);

        var source = (await _ffprobe.ProbeAsync(clip, CancellationToken.None)).ToSourceInfo();

        Assert.Equal((180, 320), (source.Width, source.Height));
    }

    [Fact]
    public async Task An_audio_only_source_probes_but_has_no_video()
    {
        var clip = await MediaClips.GenerateAsync(
            _dir.File("audio.m4a"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(1), Container = "m4a", WithVideo = false }, CancellationToken.None);

        var probe = await _ffprobe.ProbeAsync(clip, CancellationToken.None);

        Assert.Equal((false, true), (probe.ToSourceInfo().HasVideo, probe.ToSourceInfo().HasAudio));
        var noVideo = Assert.Throws<MediaException>(() => probe.RequireVideo());
        Assert.Equal(("The source has no video stream (it has only audio)", true), (noVideo.Message, noVideo.Permanent));
    }

    [Fact]
    public async Task A_path_with_a_colon_is_a_file_not_a_protocol()
    {
        var path = _dir.File("http:clip.mp4");
        File.Copy(media.Clip, path);

        var probe = await _ffprobe.ProbeAsync(path, CancellationToken.None);

        Assert.NotNull(probe.Video);
    }

    [Fact]
    public async Task An_empty_file_is_not_media()
    {
        var ex = await ProbeFailure("empty.mp4", []);

        Assert.StartsWith("The source is not a media file ffprobe recognises (empty, corrupt, or not audio/video): ", ex.Message);
        Assert.Contains("moov atom not found", ex.Message);
        Assert.False(ex.Permanent, "a download that came out empty may come out whole next time");
    }

    [Fact]
    public async Task Random_bytes_are_not_media()
    {
        var bytes = new byte[64 * 1024];
        new Random(42).NextBytes(bytes);

        var ex = await ProbeFailure("upload.bin", bytes);

        Assert.StartsWith("The source is not a media file ffprobe recognises", ex.Message);
    }

    [Fact]
    public async Task A_text_file_is_not_media()
    {
        var ex = await ProbeFailure("notes.txt", Encoding.UTF8.GetBytes("Meeting notes: slice the keynote by Friday.\n"));

        Assert.Equal(
            "The source is not a media file ffprobe recognises (empty, corrupt, or not audio/video): Invalid data found when processing input",
            ex.Message);
    }

    [Fact]
    public async Task An_hls_playlist_is_refused_without_opening_what_it_lists()
    {
        File.Copy(media.Clip, _dir.File("clip.mp4"));
        var playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:9,\nclip.mp4\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n";

        var ex = await ProbeFailure("source.mp4", Encoding.UTF8.GetBytes(playlist));

        Assert.StartsWith("The source is a 'hls' playlist; only media files are sliced (allowed: mov, mp4,", ex.Message);
        Assert.True(ex.Permanent, "a playlist is a playlist on every attempt");
    }

    [Fact]
    public async Task A_concat_list_is_refused()
    {
        File.Copy(media.Clip, _dir.File("clip.mp4"));

        var ex = await ProbeFailure("source.mov", Encoding.UTF8.GetBytes("ffconcat version 1.0\nfile 'clip.mp4'\nfile '/etc/passwd'\n"));

        Assert.StartsWith("The source is a 'concat' playlist; only media files are sliced", ex.Message);
        Assert.True(ex.Permanent);
    }

    [Fact]
    public async Task A_dash_manifest_is_refused()
    {
        const string mpd = """
            <?xml version="1.0"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT9S" minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">
              <Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="1000"><BaseURL>clip.mp4</BaseURL></Representation></AdaptationSet></Period>
            </MPD>
            """;

        var ex = await ProbeFailure("source.mpd", Encoding.UTF8.GetBytes(mpd));

        Assert.StartsWith("The source is a 'dash' manifest; only media files are sliced", ex.Message);
        Assert.True(ex.Permanent);
    }

    [Fact]
    public async Task A_missing_ffprobe_is_a_media_error()
    {
        var runner = new FfprobeRunner(
            Microsoft.Extensions.Options.Options.Create(new MediaOptions { FfprobePath = "/nonexistent/ffprobe" }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<FfprobeRunner>.Instance);

        var ex = await Assert.ThrowsAsync<MediaException>(() => runner.ProbeAsync(media.Clip, CancellationToken.None));

        // The reason and where to fix it, but no path: the message becomes a job's last_error.
        Assert.Equal("Could not start ffprobe (No such file or directory); check Media:FfmpegPath and Media:FfprobePath", ex.Message);
        Assert.DoesNotContain(Environment.CurrentDirectory, ex.Message, StringComparison.Ordinal);
        Assert.False(ex.Permanent, "the operator can install ffprobe before the next attempt");
    }

    [Fact]
    public async Task Huge_metadata_tags_are_left_unread()
    {
        // 5 MB of container comment and 5 MB of stream title: all of it in -show_format -show_streams output.
        var clip = await TaggedClipAsync("tagged.mkv", ("comment", 5_000_000), ("title", 5_000_000));

        var probe = await _ffprobe.ProbeAsync(clip, CancellationToken.None);

        Assert.Equal(("matroska,webm", true), (probe.Format.FormatName, probe.Audio is not null));
    }

    [Fact]
    public async Task A_source_that_describes_itself_in_megabytes_fails_clearly_and_permanently()
    {
        // The language is one of the tags asked for, and nothing stops it being 2 MB long.
        var clip = await TaggedClipAsync("language.mkv", ("language", 2_000_000));

        var ex = await Assert.ThrowsAsync<MediaException>(() => _ffprobe.ProbeAsync(clip, CancellationToken.None));

        Assert.Equal(
            "The source's metadata is too large: ffprobe's description of it passes 1 MiB (tags stuffed with data?); remove the oversized tags and try again",
            ex.Message);
        Assert.True(ex.Permanent);
    }

    /// <summary>An audio clip whose metadata (from an ffmetadata file: a command line caps one argument at 128 KB) has huge tags.</summary>
    private async Task<string> TaggedClipAsync(string name, params (string Tag, int Length)[] tags)
    {
        var metadata = new System.Text.StringBuilder(";FFMETADATA1\n");
        foreach (var (tag, length) in tags.Where(t => t.Tag == "comment"))
        {
            metadata.Append(tag).Append('=').Append('x', length).Append('\n');
        }

        metadata.Append("[STREAM]\n");
        foreach (var (tag, length) in tags.Where(t => t.Tag != "comment"))
        {
            metadata.Append(tag).Append('=').Append('x', length).Append('\n');
        }

        var metadataFile = _dir.File(name + ".ffmetadata");
        await File.WriteAllTextAsync(metadataFile, metadata.ToString());
        var clip = _dir.File(name);
        await MediaClips.RunAsync(
            "ffmpeg",
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=duration=1", "-f", "ffmetadata", "-i", metadataFile,
             "-map", "0", "-map_metadata", "1", "-map_metadata:s:0", "1:s:0", "-c:a", "flac", clip],
            CancellationToken.None);
        return clip;
    }

    private async Task<MediaException> ProbeFailure(string name, byte[] content)
    {
        var path = _dir.File(name);
        await File.WriteAllBytesAsync(path, content);
        return await Assert.ThrowsAsync<MediaException>(() => _ffprobe.ProbeAsync(path, CancellationToken.None));
    }
}
