using CloudSlicer.Media.Audio;

namespace CloudSlicer.Media.Tests.Audio;

public sealed class AudioEncodeCommandsTests
{
    [Fact]
    public void The_decoder_writes_stereo_s16le_pcm_to_stdout_from_an_allowed_file_only() =>
        Golden.AssertArgs("audio_decode_pcm.args", AudioEncodeCommands.DecodeToPcm("/work/job/audio.mp4", 48_000));

    [Fact]
    public void The_adts_mux_copies_the_audio_skips_the_priming_and_puts_the_index_first() =>
        Golden.AssertArgs("audio_mux_adts.args", AudioEncodeCommands.MuxAdts("/work/job/export.m4a.adts", "/work/job/export.m4a", 5058, 48_000));

    [Fact]
    public void The_priming_offset_at_44_1_khz_is_in_seconds_of_that_rate() =>
        Assert.Contains("-0.114694", AudioEncodeCommands.MuxAdts("a.adts", "a.m4a", 5058, 44_100));

    [Fact]
    public void Aac_lc_is_ffmpeg_aac_in_one_run() =>
        Golden.AssertArgs("audio_aac_lc.args", AudioEncodeCommands.AacLc("/work/job/audio.mp4", "/work/job/export.m4a", 128, 48_000));

    [Fact]
    public void A_sample_rate_other_than_44_1_or_48_khz_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioEncodeCommands.DecodeToPcm("a.mp4", 32_000));
}
