using System.Text.Json.Nodes;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Core.Tests.Jobs.Settings;

public class MediaSettingsTests
{
    private static JsonObject Args(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void A_bad_value_is_refused_at_create_time_with_the_setting_named()
    {
        Assert.False(SlicerArgs.TryParse(Args("""{"breaks": "12-5"}"""), out _, out _, out var error));
        Assert.Equal("breaks: '12-5' ends before it starts; give start-stop in seconds such as 30-45.5", error);
    }

    [Fact]
    public void A_setting_that_is_not_a_string_or_number_is_refused()
    {
        Assert.False(MediaSettings.TryParse(Args("""{"fade": ["in"]}"""), out _, out var error));
        Assert.StartsWith("fade must be a string or a number", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Slicer_args_options_are_checked_like_the_settings_they_stand_for()
    {
        Assert.False(SlicerArgs.TryParse(Args("""{"slicer_args": "-break 12-5"}"""), out _, out _, out var error));
        Assert.StartsWith("breaks: '12-5' ends before it starts", error, StringComparison.Ordinal);
        Assert.False(SlicerArgs.TryParse(Args("""{"slicer_args": "-gain 3"}"""), out _, out _, out error));
        Assert.StartsWith("slicer_args: -gain is not supported", error, StringComparison.Ordinal);
    }

    /// <summary>A valid value of every media setting.</summary>
    public static readonly IReadOnlyDictionary<string, string> Samples = new Dictionary<string, string>
    {
        ["poster"] = "2000",
        ["poster_file"] = "https://cdn.example/poster.png",
        ["poster_size"] = "320x180",
        ["thumbnails"] = "small:160x90",
        ["breaks"] = "3-4",
        ["fade"] = "in,both,0,1000",
        ["bug"] = "https://cdn.example/logo.png,0,1000",
        ["force_aspect_ratio"] = "4:3",
        ["mix_atracks"] = "0=left",
        ["timedmeta"] = "1000:TIT2=x",
        ["max_slices"] = "2",
    };
}
