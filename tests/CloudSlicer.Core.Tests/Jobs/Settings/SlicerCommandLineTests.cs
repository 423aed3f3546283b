using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Core.Tests.Jobs.Settings;

public class SlicerCommandLineTests
{
    [Fact]
    public void Slicer_options_become_the_settings_they_stand_for()
    {
        Assert.True(SlicerCommandLine.TryParse(
            "-d \"My clip\" -extid ext-1 -poster 5000 -meta genre=news -meta year=2024 -break 30-45 -break 60-61.5 -trim_in 2000 -trim_out 12000 -stereodownmix -max_slices 3",
            out var settings, out var error), error);

        Assert.Equal(
            """{"desc":"My clip","external_id":"ext-1","poster":"5000","max_slices":"3","meta":"genre=news,,,year=2024","breaks":"30-45,60-61.5","trim":"2000,10000"}""",
            settings.ToJsonString());
    }

    [Theory]
    [InlineData("-gain 3", "slicer_args: -gain is not supported by CloudSlicer")]
    [InlineData("-volnorm", "-volnorm is not supported")]
    [InlineData("-atrack 2", "-atrack is not supported")]
    [InlineData("-lang fr", "-lang is not supported")]
    [InlineData("-audiodesc", "-audiodesc is not supported")]
    [InlineData("-frobnicate", "'-frobnicate' is not a Slicer option")]
    [InlineData("-poster", "-poster needs a value")]
    [InlineData("-d \"open", "quote is not closed")]
    [InlineData("-trim_in 5000 -trim_out 1000", "-trim_out must be after -trim_in")]
    public void Options_CloudSlicer_cannot_honour_are_refused_by_name(string commandLine, string expected)
    {
        Assert.False(SlicerCommandLine.TryParse(commandLine, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_sent_by_name_win_over_slicer_args()
    {
        var args = new System.Text.Json.Nodes.JsonObject { ["slicer_args"] = "-d from-args -extid e1", ["desc"] = "by name" };

        Assert.True(SlicerCommandLine.TryExpand(args, out var expanded, out var error), error);

        Assert.Equal("by name", expanded!["desc"]!.GetValue<string>());
        Assert.Equal("e1", expanded["external_id"]!.GetValue<string>());
    }
}
