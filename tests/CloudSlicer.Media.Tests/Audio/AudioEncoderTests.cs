using CloudSlicer.Media.Audio;
using CloudSlicer.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Media.Tests.Audio;

[Collection(MediaCollection.Name)]
public sealed class AudioEncoderTests : IDisposable
{
    private const string Tone = "sine=frequency=440:sample_rate=48000";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_he_aac_export_is_he_aac_stereo_as_long_as_its_source_with_the_index_first()
    {
        var source = await AudioFiles.MakeAsync(_dir.File("tone.mkv"), Tone, TimeSpan.FromSeconds(10), channels: 2);

        var facts = await EncodeAsync(new AudioEncodeRequest(source, _dir.File("export.mp4")));

        Assert.Equal(("aac", "HE-AAC", 48_000, 2), (facts.Codec, facts.Profile, facts.SampleRate, facts.Channels));
        await AssertDurationWithinOneFrameAsync(source, facts, samplesPerFrame: 2048);
        AssertIndexFirst(_dir.File("export.mp4"));
        Assert.False(File.Exists(_dir.File("export.mp4.adts")), "the intermediate ADTS file is removed");
    }

    [Theory]
    [InlineData(48_000)]
    [InlineData(44_100)]
    public async Task An_he_aac_export_signals_sbr_explicitly_so_ffmpeg_plays_its_sound_on_time(int rate)
    {
        // Silence, then a tone from 2 s: with the implicit (ADTS) signalling ffmpeg skipped twice the priming and the
        // tone came 0.1 s early.
        var source = await AudioFiles.MakeAsync(_dir.File("onset.mkv"), $"aevalsrc='if(gte(t,2),0.5*sin(2*PI*440*t),0)':s={rate}:c=stereo", TimeSpan.FromSeconds(4), channels: 2);

        var facts = await EncodeAsync(new AudioEncodeRequest(source, _dir.File("export.mp4")) { SampleRate = rate });

        Assert.Equal(("HE-AAC", rate), (facts.Profile, facts.SampleRate));
        var csv = await MediaClips.RunAsync("ffprobe",
            ["-v", "error", "-f", "lavfi", "-i", $"amovie={_dir.File("export.mp4")},asetnsamples=n=441,astats=metadata=1:reset=1",
             "-show_entries", "frame=pts_time:frame_tags=lavfi.astats.Overall.RMS_level", "-of", "csv=p=0"], CancellationToken.None);
        var onset = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(','))
            .First(f => f.Length == 2 && double.TryParse(f[1], System.Globalization.CultureInfo.InvariantCulture, out var level) && level > -30)[0];
        Assert.InRange(double.Parse(onset, System.Globalization.CultureInfo.InvariantCulture), 1.98, 2.02);
        AssertIndexFirst(_dir.File("export.mp4"));
        await AssertDurationWithinOneFrameAsync(source, facts, samplesPerFrame: 2048);
    }

    [Fact]
    public async Task An_he_aac_export_at_44_1_khz_keeps_that_rate()
    {
        var source = await AudioFiles.MakeAsync(_dir.File("tone44.mkv"), "sine=frequency=440:sample_rate=44100", TimeSpan.FromSeconds(5), channels: 2);

        var facts = await EncodeAsync(new AudioEncodeRequest(source, _dir.File("export.m4a")) { SampleRate = 44_100 });

        Assert.Equal(("HE-AAC", 44_100), (facts.Profile, facts.SampleRate));
        await AssertDurationWithinOneFrameAsync(source, facts, samplesPerFrame: 2048);
    }

    [Fact]
    public async Task An_aac_lc_export_is_lc_with_the_index_first()
    {
        var source = await AudioFiles.MakeAsync(_dir.File("tone.mkv"), Tone, TimeSpan.FromSeconds(5), channels: 2);

        var facts = await EncodeAsync(new AudioEncodeRequest(source, _dir.File("export.mp4")) { Profile = AacProfile.AacLc });

        Assert.Equal(("aac", "LC", 48_000, 2), (facts.Codec, facts.Profile, facts.SampleRate, facts.Channels));
        await AssertDurationWithinOneFrameAsync(source, facts, samplesPerFrame: 1024);
        AssertIndexFirst(_dir.File("export.mp4"));
    }

    [Fact]
    public async Task A_silent_source_encodes_to_he_aac_of_its_length()
    {
        var source = await AudioFiles.MakeAsync(_dir.File("silence.mkv"), "anullsrc=channel_layout=stereo:sample_rate=48000", TimeSpan.FromSeconds(4), channels: 2);

        var facts = await EncodeAsync(new AudioEncodeRequest(source, _dir.File("export.m4a")));

        Assert.Equal("HE-AAC", facts.Profile);
        await AssertDurationWithinOneFrameAsync(source, facts, samplesPerFrame: 2048);
    }

    [Fact]
    public async Task A_mono_source_is_upmixed_to_stereo()
    {
        var source = await AudioFiles.MakeAsync(_dir.File("mono.mkv"), Tone, TimeSpan.FromSeconds(4), channels: 1);

        var facts = await EncodeAsync(new AudioEncodeRequest(source, _dir.File("export.m4a")));

        Assert.Equal(("HE-AAC", 2), (facts.Profile, facts.Channels));
    }

    [Fact]
    public async Task A_six_channel_source_is_downmixed_to_stereo()
    {
        var source = await AudioFiles.MakeAsync(_dir.File("surround.mkv"), Tone, TimeSpan.FromSeconds(4), channels: 6);
        Assert.Equal(6, (await AudioFiles.ProbeAsync(source)).Channels);

        var facts = await EncodeAsync(new AudioEncodeRequest(source, _dir.File("export.m4a")));

        Assert.Equal(("HE-AAC", 2), (facts.Profile, facts.Channels));
        await AssertDurationWithinOneFrameAsync(source, facts, samplesPerFrame: 2048);
    }

    [Fact]
    public async Task The_audio_of_a_video_file_is_encoded_without_its_video()
    {
        var clip = await MediaClips.GenerateAsync(_dir.File("clip.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(3) });

        await EncodeAsync(new AudioEncodeRequest(clip, _dir.File("export.m4a")));

        var streams = await MediaClips.RunAsync("ffprobe",
            ["-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", _dir.File("export.m4a")], CancellationToken.None);
        Assert.Equal("audio", streams.Trim());
    }

    [Fact]
    public async Task Cancelling_mid_encode_leaves_no_ffmpeg_and_no_output()
    {
        var source = await AudioFiles.MakeAsync(_dir.File("long.mkv"), Tone, TimeSpan.FromSeconds(120), channels: 2);
        var progress = new RecordingProgress();
        using var cts = new CancellationTokenSource();
        var output = _dir.File("export.m4a");

        var run = Encoder().EncodeAsync(new AudioEncodeRequest(source, output) { Duration = TimeSpan.FromSeconds(120) }, progress, cts.Token);
        await progress.FirstReport.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(run.IsCompleted);
        Assert.NotEmpty(ProcessScan.FfmpegMentioning(_dir.Path));

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Empty(ProcessScan.FfmpegMentioning(_dir.Path));
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".adts"));
    }

    [Fact]
    public async Task A_missing_source_is_a_clear_permanent_error_that_names_no_path()
    {
        var ex = await Assert.ThrowsAsync<MediaException>(() =>
            Encoder().EncodeAsync(new AudioEncodeRequest(_dir.File("nope.mp4"), _dir.File("export.m4a")), null, CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Equal("The audio source to encode does not exist; slice the asset again", ex.Message);
        Assert.DoesNotContain(_dir.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_without_audio_is_a_clear_permanent_error()
    {
        var clip = await MediaClips.GenerateAsync(_dir.File("silent.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(1), WithAudio = false });

        var ex = await Assert.ThrowsAsync<MediaException>(() =>
            Encoder().EncodeAsync(new AudioEncodeRequest(clip, _dir.File("export.m4a")), null, CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Equal("The source has no audio stream to encode", ex.Message);
        Assert.False(File.Exists(_dir.File("export.m4a")));
    }

    private static AudioEncoder Encoder() =>
        new(MediaFixture.Ffmpeg(), Options.Create(new MediaOptions()), NullLogger<AudioEncoder>.Instance);

    private static async Task<AudioStreamFacts> EncodeAsync(AudioEncodeRequest request)
    {
        await Encoder().EncodeAsync(request, null, CancellationToken.None);
        return await AudioFiles.ProbeAsync(request.Output);
    }

    private static async Task AssertDurationWithinOneFrameAsync(string source, AudioStreamFacts encoded, int samplesPerFrame)
    {
        var input = await MediaClips.ProbeDurationAsync(source);
        var frame = samplesPerFrame / (double)encoded.SampleRate;
        Assert.True(Math.Abs(encoded.Duration - input) <= frame,
            $"encoded {encoded.Duration:0.000} s, source {input:0.000} s, one frame {frame:0.000} s");
    }

    private static void AssertIndexFirst(string mp4)
    {
        var boxes = AudioFiles.TopLevelBoxes(mp4).ToList();
        Assert.Contains("moov", boxes);
        Assert.Contains("mdat", boxes);
        Assert.True(boxes.IndexOf("moov") < boxes.IndexOf("mdat"), "top-level boxes: " + string.Join(", ", boxes));
    }
}
