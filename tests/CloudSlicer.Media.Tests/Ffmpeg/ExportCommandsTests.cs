using CloudSlicer.Media.Audio;
using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Media.Tests.Ffmpeg;

public sealed class ExportCommandsTests
{
    [Fact]
    public void The_export_mux_copies_the_joined_video_and_the_encoded_audio_with_the_index_first() =>
        Golden.AssertArgs("export_mux.args", FfmpegCommands.ExportMux("/work/job/video.mp4", "/work/job/audio.m4a", "/work/job/export/export.mp4"));

    [Fact]
    public void An_asset_without_audio_exports_its_video_alone() =>
        Golden.AssertArgs("export_mux_video_only.args", FfmpegCommands.ExportMux("/work/job/video.mp4", null, "/work/job/export/export.mp4"));

    [Fact]
    public void The_export_audio_is_decoded_from_the_asset_timelines_zero_for_its_duration() =>
        Golden.AssertArgs("export_decode_pcm.args", AudioEncodeCommands.DecodeToPcm("/work/job/audio.mp4", 48_000, TimeSpan.FromSeconds(12.5)));

    [Fact]
    public void The_aac_lc_export_audio_is_encoded_from_the_asset_timelines_zero_for_its_duration() =>
        Golden.AssertArgs("export_aac_lc.args", AudioEncodeCommands.AacLc("/work/job/audio.mp4", "/work/job/audio.m4a", 128, 48_000, TimeSpan.FromSeconds(12.5)));
}
