using CloudSlicer.Core.Assets;
using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Media.Tests.Ffmpeg;

public class FfmpegCommandsTests
{
    private static readonly SourceInfo Source1080p60 = new("mov,mp4,m4a,3gp,3g2,mj2", TimeSpan.FromMinutes(1), 1920, 1080, 60, HasAudio: true);

    [Fact]
    public void HlsLadder_for_the_default_table_matches_golden()
    {
        var rays = LadderPlanner.Plan(Source1080p60, LadderPlanner.DefaultTable);
        var args = FfmpegCommands.HlsLadder(new HlsLadderRequest("/work/job/source.mp4", "/work/job/out", rays, HasAudio: true));

        Golden.AssertArgs("hls_ladder_default_table.args", args);
    }

    [Fact]
    public void HlsLadder_trimmed_without_audio_matches_golden()
    {
        var source = new SourceInfo("matroska,webm", TimeSpan.FromSeconds(30), 1280, 720, 30000 / 1001.0, HasAudio: false);
        var rays = LadderPlanner.Plan(source, [new RayRung(180, 300), new RayRung(360, 800)]);
        var request = new HlsLadderRequest("/work/job/source.mkv", "/work/job/out/", rays, HasAudio: false)
        {
            TrimStart = TimeSpan.FromMilliseconds(2000),
            TrimDuration = TimeSpan.FromMilliseconds(5000),
            Preset = "ultrafast",
        };

        Golden.AssertArgs("hls_ladder_trim_no_audio.args", FfmpegCommands.HlsLadder(request));
    }

    [Fact]
    public void Poster_matches_golden()
    {
        var args = FfmpegCommands.Poster("/work/job/source.mp4", "/work/job/out/poster.jpg", TimeSpan.FromSeconds(3.5), 720);

        Golden.AssertArgs("poster.args", args);
    }

    [Fact]
    public void HlsLadder_has_no_audio_output_when_the_source_has_none()
    {
        var rays = new[] { new Ray("a", 640, 360, 30, 800) };
        var args = FfmpegCommands.HlsLadder(new HlsLadderRequest("/s.mp4", "/out", rays, HasAudio: false));

        Assert.DoesNotContain("0:a:0", args);
        Assert.DoesNotContain(args, a => a.Contains("name:audio", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/out/100%", "a")]
    [InlineData("/out", "audio")]
    [InlineData("/out", "../x")]
    public void HlsLadder_rejects_names_ffmpeg_would_misread(string outputDirectory, string rayName)
    {
        var rays = new[] { new Ray(rayName, 640, 360, 30, 800) };

        Assert.Throws<ArgumentException>(() =>
            FfmpegCommands.HlsLadder(new HlsLadderRequest("/s.mp4", outputDirectory, rays, HasAudio: true)));
    }
}
