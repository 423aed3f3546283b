using System.Globalization;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Testing;

namespace CloudSlicer.Media.Tests.Ffmpeg;

/// <summary>The media settings' filters run by the real ffmpeg on a 9 s clip, checked with ffprobe.</summary>
[Collection(MediaCollection.Name)]
public sealed class MediaSettingsLadderTests(MediaFixture media) : IDisposable
{
    private static readonly Ray[] Rays = [new("a", 320, 180, 30, 300)];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_cut_shortens_video_and_audio_a_fade_starts_black_and_a_bug_is_burnt_in()
    {
        var bug = _dir.File("bug0");
        await MediaClips.RunAsync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "color=red:s=64x36,format=rgba", "-frames:v", "1", "-f", "image2", "-c:v", "png", bug], CancellationToken.None);
        var request = new HlsLadderRequest(media.Clip, _dir.Path, Rays, HasAudio: true)
        {
            Preset = "ultrafast",
            Cuts = [new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5))],
            Fades = [new(FadeDirection.In, FadeTarget.Both, 0, 1000)],
            Bugs = [new(bug, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.5))],
        };

        await MediaFixture.Ffmpeg().RunAsync(FfmpegCommands.HlsLadder(request), TimeSpan.FromSeconds(7), null, CancellationToken.None);

        var video = _dir.File("a.mp4");
        await HlsOutput.WriteRenditionAsync(_dir.Path, "a", video, CancellationToken.None);
        var audio = _dir.File("audio.mp4");
        await HlsOutput.WriteRenditionAsync(_dir.Path, "audio", audio, CancellationToken.None);
        Assert.Equal(7.0, await MediaClips.ProbeDurationAsync(video), precision: 1);
        Assert.Equal(7.0, await MediaClips.ProbeDurationAsync(audio), precision: 1);
        Assert.InRange(await FrameStatAsync(video, 0, "YAVG"), 0, 20);          // faded in from black
        Assert.InRange(await FrameStatAsync(video, 2, "VAVG"), 220, 255);       // the opaque red bug covers the frame
        Assert.InRange(await FrameStatAsync(video, 4, "VAVG"), 0, 200);         // and is gone after it ends
    }

    [Fact]
    public async Task Max_slices_stops_the_asset_after_that_many_slices()
    {
        var request = new HlsLadderRequest(media.Clip, _dir.Path, Rays, HasAudio: true) { Preset = "ultrafast", MaxDuration = TimeSpan.FromSeconds(4.096) };

        await MediaFixture.Ffmpeg().RunAsync(FfmpegCommands.HlsLadder(request), TimeSpan.FromSeconds(4.096), null, CancellationToken.None);

        Assert.Equal(1, await HlsOutput.WriteRenditionAsync(_dir.Path, "a", _dir.File("a.mp4"), CancellationToken.None));
        Assert.Equal(4.1, await MediaClips.ProbeDurationAsync(_dir.File("a.mp4")), precision: 1);
        await HlsOutput.WriteRenditionAsync(_dir.Path, "audio", _dir.File("audio.mp4"), CancellationToken.None);
        Assert.Equal(4.1, await MediaClips.ProbeDurationAsync(_dir.File("audio.mp4")), precision: 1);
    }

    [Fact]
    public async Task Thumbnails_are_one_per_slice_at_each_size_never_upscaled()
    {
        await MediaFixture.Ffmpeg().RunAsync(
            FfmpegCommands.HlsLadder(new HlsLadderRequest(media.Clip, _dir.Path, Rays, HasAudio: false) { Preset = "ultrafast" }),
            TimeSpan.FromSeconds(9), null, CancellationToken.None);
        var top = _dir.File("top.mp4");
        var slices = await HlsOutput.WriteRenditionAsync(_dir.Path, "a", top, CancellationToken.None);
        var thumbs = Path.Combine(_dir.Path, "thumbs");
        var sizes = new[] { ThumbnailSpec.Default, new ThumbnailSpec("big", 1280, 1280), new ThumbnailSpec("tiny", 64, 64) };
        foreach (var s in sizes)
        {
            Directory.CreateDirectory(Path.Combine(thumbs, s.Prefix));
        }

        await MediaFixture.Ffmpeg().RunAsync(FfmpegCommands.Thumbnails(top, thumbs, sizes), TimeSpan.Zero, null, CancellationToken.None);

        Assert.Equal(3, slices);
        foreach (var (prefix, size) in new[] { ("default", "mjpeg,256,144"), ("big", "mjpeg,320,180"), ("tiny", "mjpeg,64,36") })
        {
            var files = Directory.GetFiles(Path.Combine(thumbs, prefix)).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            Assert.Equal(["00000.jpg", "00001.jpg", "00002.jpg"], files);
            var probed = await MediaClips.RunAsync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", Path.Combine(thumbs, prefix, "00001.jpg")], CancellationToken.None);
            Assert.Equal(size, probed.Trim());
        }
    }

    [Fact]
    public async Task A_poster_fits_its_box_without_upscaling()
    {
        var poster = _dir.File("poster.jpg");

        await MediaFixture.Ffmpeg().RunAsync(FfmpegCommands.Poster(media.Clip, poster, TimeSpan.FromSeconds(1), 720, new PosterSize(200, 200)), TimeSpan.Zero, null, CancellationToken.None);

        var size = await MediaClips.RunAsync("ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", poster], CancellationToken.None);
        Assert.Equal("200,113", size.Trim());   // 320x180 fitted into 200x200, rounded
    }

    /// <summary>A signalstats value (YAVG, VAVG ...) of the frame at <paramref name="seconds"/>.</summary>
    private static async Task<double> FrameStatAsync(string path, double seconds, string stat)
    {
        var output = await MediaClips.RunAsync("ffmpeg",
            ["-v", "error", "-ss", seconds.ToString(CultureInfo.InvariantCulture), "-i", path, "-frames:v", "1",
             "-vf", $"signalstats,metadata=print:key=lavfi.signalstats.{stat}:file=-", "-f", "null", "-"],
            CancellationToken.None);
        var line = output.Split('\n').First(l => l.Contains($"lavfi.signalstats.{stat}=", StringComparison.Ordinal));
        return double.Parse(line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
    }
}
