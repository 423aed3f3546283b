using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;
using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Media.Tests.Ffmpeg;

/// <summary>Each media setting's ffmpeg arguments, against golden files (one token per line).</summary>
public class MediaSettingsCommandsTests
{
    private static readonly Ray[] Rays = [new("a", 320, 180, 30, 300), new("b", 640, 360, 30, 800)];

    private static HlsLadderRequest Request => new("/work/job/source.mp4", "/work/job/out", Rays, HasAudio: true) { Preset = "ultrafast" };

    [Fact]
    public void Breaks_cut_video_and_audio_and_close_the_gap()
    {
        var request = Request with { Cuts = [new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)), new(TimeSpan.FromSeconds(7.5), TimeSpan.FromSeconds(8))] };

        Golden.AssertArgs("ladder_breaks.args", FfmpegCommands.HlsLadder(request));
    }

    [Fact]
    public void Max_slices_caps_video_and_audio()
    {
        Golden.AssertArgs("ladder_max_slices.args", FfmpegCommands.HlsLadder(Request with { MaxDuration = TimeSpan.FromSeconds(8.192) }));
    }

    [Fact]
    public void Fades_become_fade_and_afade()
    {
        var request = Request with { Fades = [new(FadeDirection.In, FadeTarget.Both, 0, 1000), new(FadeDirection.Out, FadeTarget.Video, 9000, 500)] };

        Golden.AssertArgs("ladder_fade.args", FfmpegCommands.HlsLadder(request));
    }

    [Fact]
    public void Force_aspect_ratio_sets_the_display_aspect_before_the_split()
    {
        Golden.AssertArgs("ladder_force_aspect_ratio.args", FfmpegCommands.HlsLadder(Request with { DisplayAspect = new AspectRatio(4, 3) }));
    }

    [Fact]
    public void Bugs_are_extra_image_inputs_overlaid_while_enabled()
    {
        var request = Request with
        {
            Cuts = [new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5))],
            Bugs = [new("/work/job/bug0", TimeSpan.Zero, TimeSpan.FromSeconds(4)), new("/work/job/bug1", TimeSpan.FromSeconds(6), null)],
        };

        Golden.AssertArgs("ladder_bug.args", FfmpegCommands.HlsLadder(request));
    }

    [Fact]
    public void Mix_atracks_merges_source_tracks_into_stereo()
    {
        var request = Request with { AudioMix = [new(0, MixChannel.Left), new(1, MixChannel.Right), new(2, MixChannel.Both)], Fades = [new(FadeDirection.In, FadeTarget.Audio, 0, 1000)] };

        Golden.AssertArgs("ladder_mix_atracks.args", FfmpegCommands.HlsLadder(request));
    }

    [Fact]
    public void Thumbnails_decode_key_frames_only_at_each_size()
    {
        var args = FfmpegCommands.Thumbnails("/work/job/top.mp4", "/work/job/out/thumbs", [ThumbnailSpec.Default, new("large", 640, 360)]);

        Golden.AssertArgs("thumbnails.args", args);
    }

    [Fact]
    public void Poster_size_fits_the_poster_in_a_box()
    {
        Golden.AssertArgs("poster_size.args", FfmpegCommands.Poster("/work/job/sample.mp4", "/work/job/out/poster.jpg", TimeSpan.FromSeconds(1.5), 720, new PosterSize(320, 320)));
    }

    [Fact]
    public void Poster_file_is_opened_only_as_an_image()
    {
        Golden.AssertArgs("poster_file.args", FfmpegCommands.PosterFromImage("/work/job/poster-file", "/work/job/out/poster.jpg", 720));
    }
}
