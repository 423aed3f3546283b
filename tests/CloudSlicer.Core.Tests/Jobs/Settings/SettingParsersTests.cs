using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Core.Tests.Jobs.Settings;

/// <summary>Each media setting's parser: the forms it takes, and a message naming the setting for each kind of bad value.</summary>
public class SettingParsersTests
{
    [Theory]
    [InlineData("5000", 5000)]
    [InlineData("5.5", 5500)]
    [InlineData("00:01:02.500", 62500)]
    [InlineData("0:00:03", 3000)]
    public void Poster_takes_milliseconds_seconds_or_a_clock(string text, long ms)
    {
        Assert.True(PosterTime.TryParse(text, out var at, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(ms), at);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("1:2:3:4")]
    public void Poster_refuses_what_is_not_a_time(string text)
    {
        Assert.False(PosterTime.TryParse(text, out _, out var error));
        Assert.StartsWith("poster: '", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Poster_size_is_a_bounding_box()
    {
        Assert.True(PosterSize.TryParse("640x360", out var size, out _));
        Assert.Equal(new PosterSize(640, 360), size);
    }

    [Theory]
    [InlineData("640")]
    [InlineData("640x")]
    [InlineData("8x8")]
    [InlineData("99999x360")]
    [InlineData("-640x360")]
    public void Poster_size_refuses_what_is_not_WxH(string text)
    {
        Assert.False(PosterSize.TryParse(text, out _, out var error));
        Assert.StartsWith("poster_size:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Thumbnails_make_the_default_size_and_each_size_asked()
    {
        Assert.True(ThumbnailSpec.TryParse("small:160x90, large:640x360", out var specs, out var error), error);
        Assert.Equal([ThumbnailSpec.Default, new("small", 160, 90), new("large", 640, 360)], specs);
        Assert.True(ThumbnailSpec.TryParse("1", out specs, out _));
        Assert.Equal([ThumbnailSpec.Default], specs);
        Assert.True(ThumbnailSpec.TryParse("0", out specs, out _));
        Assert.Empty(specs);
    }

    [Theory]
    [InlineData("small", "not prefix:WxH")]
    [InlineData("small:160", "not prefix:WxH")]
    [InlineData("../x:160x90", "not prefix:WxH")]
    [InlineData(":160x90", "not prefix:WxH")]
    [InlineData("a:160x90,a:320x180", "used twice")]
    [InlineData("default:160x90", "used twice")]
    public void Thumbnails_refuse_bad_entries(string text, string expected)
    {
        Assert.False(ThumbnailSpec.TryParse(text, out _, out var error));
        Assert.StartsWith("thumbnails:", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Breaks_are_cuts_or_labelled_boundaries()
    {
        Assert.True(BreakRange.TryParse("30-45.5, intro:0-12,120-150", out var breaks, out var error), error);
        Assert.Equal([new BreakRange(30, 45.5, null), new BreakRange(0, 12, "intro"), new BreakRange(120, 150, null)], breaks);
        Assert.True(breaks[0].IsCut);
        Assert.False(breaks[1].IsCut);
    }

    [Theory]
    [InlineData("12-5", "breaks: '12-5' ends before it starts; give start-stop in seconds such as 30-45.5")]
    [InlineData("5-5", "ends before it starts")]
    [InlineData("abc", "is not start-stop")]
    [InlineData("5", "is not start-stop")]
    [InlineData(":5-6", "is not start-stop")]
    [InlineData("-5-6", "is not start-stop")]
    [InlineData("10-20,15-30", "overlap")]
    [InlineData("", "lists 0 ranges")]
    public void Breaks_refuse_bad_ranges(string text, string expected)
    {
        Assert.False(BreakRange.TryParse(text, out _, out var error));
        Assert.StartsWith("breaks:", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fades_are_separated_by_three_commas()
    {
        Assert.True(Fade.TryParse("in,both,0,1000,,,out,video,9000,500", out var fades, out var error), error);
        Assert.Equal([new Fade(FadeDirection.In, FadeTarget.Both, 0, 1000), new Fade(FadeDirection.Out, FadeTarget.Video, 9000, 500)], fades);
    }

    [Theory]
    [InlineData("up,both,0,1000", "is not in|out")]
    [InlineData("in,all,0,1000", "is not in|out")]
    [InlineData("in,both,0", "is not in|out")]
    [InlineData("in,both,-5,1000", "is not in|out")]
    [InlineData("in,both,0,0", "lasts 0 ms")]
    [InlineData("in,both,0,1000,out,video,9000,500", "is not in|out")]
    public void Fades_refuse_bad_entries(string text, string expected)
    {
        Assert.False(Fade.TryParse(text, out _, out var error));
        Assert.StartsWith("fade:", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bugs_take_a_url_and_a_start_that_may_count_from_the_end()
    {
        Assert.True(Bug.TryParse("https://cdn.example/logo.png,0,10000,,,http://cdn.example/end.png,-5000,5000", out var bugs, out var error), error);
        Assert.Equal([new Bug(new Uri("https://cdn.example/logo.png"), 0, 10000), new Bug(new Uri("http://cdn.example/end.png"), -5000, 5000)], bugs);
    }

    [Theory]
    [InlineData("logo.png,0,1000")]
    [InlineData("file:///etc/passwd,0,1000")]
    [InlineData("https://cdn.example/logo.png,0")]
    [InlineData("https://cdn.example/logo.png,a,1000")]
    public void Bugs_refuse_bad_entries(string text)
    {
        Assert.False(Bug.TryParse(text, out _, out var error));
        Assert.StartsWith("bug:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Aspect_ratio_is_two_whole_numbers()
    {
        Assert.True(AspectRatio.TryParse("16:9", out var ratio, out _));
        Assert.Equal(new AspectRatio(16, 9), ratio);
    }

    [Theory]
    [InlineData("16x9")]
    [InlineData("1.78")]
    [InlineData("0:9")]
    [InlineData("100:1")]
    public void Aspect_ratio_refuses_other_forms(string text)
    {
        Assert.False(AspectRatio.TryParse(text, out _, out var error));
        Assert.StartsWith("force_aspect_ratio:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Audio_mix_names_a_channel_per_track()
    {
        Assert.True(AudioMix.TryParse("0=left,1=R,2=both", out var mix, out var error), error);
        Assert.Equal([new AudioMix(0, MixChannel.Left), new AudioMix(1, MixChannel.Right), new AudioMix(2, MixChannel.Both)], mix);
    }

    [Theory]
    [InlineData("0=center", "is not track=channel")]
    [InlineData("x=left", "is not track=channel")]
    [InlineData("0=left,0=right", "named twice")]
    [InlineData("", "at least one")]
    public void Audio_mix_refuses_bad_entries(string text, string expected)
    {
        Assert.False(AudioMix.TryParse(text, out _, out var error));
        Assert.StartsWith("mix_atracks:", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Timed_metadata_is_a_time_a_field_and_a_value()
    {
        Assert.True(TimedMetadata.TryParse("5000:TIT2=Chapter one,65000:TIT2=Two", out var entries, out var error), error);
        Assert.Equal([new TimedMetadata(5000, "TIT2", "Chapter one"), new TimedMetadata(65000, "TIT2", "Two")], entries);
    }

    [Theory]
    [InlineData("TIT2=x")]
    [InlineData("5000:TIT2")]
    [InlineData("x:TIT2=a")]
    [InlineData("5000:T I T=a")]
    [InlineData("5000:TIT2=say \"hi\"")]
    public void Timed_metadata_refuses_bad_entries(string text)
    {
        Assert.False(TimedMetadata.TryParse(text, out _, out var error));
        Assert.StartsWith("timedmeta:", error, StringComparison.Ordinal);
    }
}
