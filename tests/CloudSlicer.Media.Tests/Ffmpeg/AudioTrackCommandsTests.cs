using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Media.Tests.Ffmpeg;

public class AudioTrackCommandsTests
{
    [Fact]
    public void An_aac_track_matches_golden()
    {
        var args = FfmpegCommands.AudioTracks("/work/job/track-audio1", "/work/job/out", TimeSpan.FromSeconds(10.01),
            [new AudioTrackOutput("audio1", "aac", 128, 2)]);

        Golden.AssertArgs("audio_track_aac.args", args);
    }

    [Fact]
    public void A_dolby_track_decodes_once_into_aac_and_eac3_matches_golden()
    {
        var args = FfmpegCommands.AudioTracks("/work/job/track-audio3", "/work/job/out/", TimeSpan.FromMilliseconds(61_440),
            [new AudioTrackOutput("audio3", "aac", 96, 2), new AudioTrackOutput("ec3_3", "eac3", FfmpegCommands.Eac3Kbps, 6)]);

        Golden.AssertArgs("audio_track_dolby.args", args);
    }

    [Fact]
    public void The_track_is_padded_and_cut_to_the_asset_duration_in_samples()
    {
        var args = FfmpegCommands.AudioTracks("/t", "/out", TimeSpan.FromSeconds(10.01), [new AudioTrackOutput("audio1", "aac", 128, 2)]);

        // 10.01 s at 48 kHz: 480,480 samples, the pad's target and the cut's end alike.
        Assert.Contains(args, a => a.Contains("apad=whole_len=480480,atrim=end_sample=480480", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/out/100%", "audio1", "aac")]
    [InlineData("/out", "../x", "aac")]
    [InlineData("/out", "audio1", "mp3")]
    public void Names_and_codecs_ffmpeg_would_misread_are_refused(string outputDirectory, string name, string codec)
    {
        Assert.Throws<ArgumentException>(() =>
            FfmpegCommands.AudioTracks("/t", outputDirectory, TimeSpan.FromSeconds(1), [new AudioTrackOutput(name, codec, 128, 2)]));
    }
}
