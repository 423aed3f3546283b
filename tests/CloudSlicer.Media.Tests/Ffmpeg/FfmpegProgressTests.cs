using CloudSlicer.Media.Ffmpeg;

namespace CloudSlicer.Media.Tests.Ffmpeg;

public class FfmpegProgressTests
{
    [Fact]
    public void Reads_a_captured_ladder_run_block_by_block()
    {
        var parser = new FfmpegProgress();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Ffmpeg", "TestData", "progress_hls_ladder.txt"));

        var updates = lines.Select(parser.Read).OfType<FfmpegProgressUpdate>().ToList();

        Assert.Equal(3, updates.Count);
        Assert.Equal(TimeSpan.FromMicroseconds(64_000), updates[0].OutTime);
        Assert.Equal(TimeSpan.FromMicroseconds(7_594_667), updates[1].OutTime);
        Assert.False(updates[1].IsEnd);
        Assert.True(updates[2].IsEnd);
        Assert.Equal(TimeSpan.FromMicroseconds(9_002_667), updates[2].OutTime);
        Assert.Equal(0.8439, updates[1].FractionOf(TimeSpan.FromSeconds(9)), precision: 4);
        Assert.Equal(1, updates[2].FractionOf(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void Not_yet_known_and_negative_times_read_as_zero()
    {
        var parser = new FfmpegProgress();

        var first = Feed(parser, "frame=0", "out_time_us=N/A", "out_time_ms=N/A", "out_time=N/A", "progress=continue");
        var second = Feed(parser, "out_time_us=-21333", "out_time_ms=-21333", "out_time=-00:00:00.021333", "progress=continue");

        Assert.Equal(TimeSpan.Zero, first.OutTime);
        Assert.Equal(TimeSpan.Zero, second.OutTime);
        Assert.Equal(0, second.FractionOf(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_block_with_N_A_keeps_the_last_known_time()
    {
        var parser = new FfmpegProgress();
        Feed(parser, "out_time_us=5000000", "progress=continue");

        var update = Feed(parser, "out_time_us=N/A", "progress=continue");

        Assert.Equal(TimeSpan.FromSeconds(5), update.OutTime);
    }

    [Fact]
    public void Falls_back_to_out_time_ms_which_ffmpeg_writes_in_microseconds_then_to_the_clock()
    {
        Assert.Equal(TimeSpan.FromSeconds(2.5), Feed(new FfmpegProgress(), "out_time_ms=2500000", "progress=continue").OutTime);
        Assert.Equal(
            TimeSpan.FromSeconds(62.5),
            Feed(new FfmpegProgress(), "out_time=00:01:02.500000", "progress=continue").OutTime);
    }

    [Fact]
    public void Fraction_is_clamped_and_zero_without_an_expected_duration()
    {
        var update = new FfmpegProgressUpdate(TimeSpan.FromSeconds(12), IsEnd: false);

        Assert.Equal(1, update.FractionOf(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, update.FractionOf(TimeSpan.Zero));
    }

    [Fact]
    public void Ignores_lines_that_are_not_key_value()
    {
        var parser = new FfmpegProgress();

        Assert.Null(parser.Read(""));
        Assert.Null(parser.Read("garbage"));
        Assert.Null(parser.Read("=x"));
        Assert.Null(parser.Read("speed=1.2x"));
    }

    private static FfmpegProgressUpdate Feed(FfmpegProgress parser, params string[] lines) =>
        lines.Select(parser.Read).OfType<FfmpegProgressUpdate>().Single();
}
