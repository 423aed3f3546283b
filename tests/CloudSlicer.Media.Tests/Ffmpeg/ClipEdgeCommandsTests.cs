using CloudSlicer.Core.Assets;
using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Media.Tests.Ffmpeg;

public class ClipEdgeCommandsTests
{
    private static readonly Ray Ray720 = new("d", 1280, 720, 30, 2800);

    [Fact]
    public void A_clip_edge_matches_golden()
    {
        var args = FfmpegCommands.ClipEdge("/work/job/edge-d-seg_00003.mp4", "/work/job/edge-d-seg_00003-cut.mp4", Ray720, "veryfast", 15360, 37, 86);

        Golden.AssertArgs("clip_edge.args", args);
    }

    [Fact]
    public void A_clip_edge_encodes_with_the_same_x264_settings_as_the_rays_slices()
    {
        var edge = FfmpegCommands.ClipEdge("/in.mp4", "/out.mp4", Ray720, "veryfast", 15360, 0, 10);
        var ladder = FfmpegCommands.HlsLadder(new HlsLadderRequest("/s.mp4", "/out", [Ray720], HasAudio: false) { Preset = "veryfast" });

        static IEnumerable<string> Encoder(IReadOnlyList<string> args) =>
            args.SkipWhile(a => a != "-c:v").TakeWhile(a => a != "-force_key_frames" && a != "-map_metadata");
        Assert.Equal(Encoder(ladder), Encoder(edge));
        Assert.Contains("trim=start_frame=0:end_frame=10", edge);
    }
}
