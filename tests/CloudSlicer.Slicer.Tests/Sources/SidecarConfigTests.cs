using CloudSlicer.Slicer.Sources;

namespace CloudSlicer.Slicer.Tests.Sources;

public class SidecarConfigTests
{
    [Fact]
    public void Reads_name_value_lines_trimmed()
    {
        var settings = SidecarConfig.Parse("description = My video  \n  fade=1\ndone_url = https://hooks.example/done?a=b&c=d\n");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["description"] = "My video",
                ["fade"] = "1",
                ["done_url"] = "https://hooks.example/done?a=b&c=d",
            },
            settings);
    }

    [Fact]
    public void Skips_blank_lines_comments_and_section_headers()
    {
        var settings = SidecarConfig.Parse("# a comment\n\n   \n  # indented = comment\n; also = comment\n[slicer]\nfade = 1\n");

        Assert.Equal(new Dictionary<string, string> { ["fade"] = "1" }, settings);
    }

    [Fact]
    public void A_later_line_wins_and_names_are_lower_case()
    {
        var settings = SidecarConfig.Parse("fade = 1\nFADE = 2\n");

        Assert.Equal(new Dictionary<string, string> { ["fade"] = "2" }, settings);
    }

    [Fact]
    public void Keeps_empty_values_and_hashes_inside_values()
    {
        var settings = SidecarConfig.Parse("description =\nmeta = {\"tag\": \"#1\"}");

        Assert.Equal("", settings["description"]);
        Assert.Equal("{\"tag\": \"#1\"}", settings["meta"]);
    }

    [Theory]
    [InlineData("fade = 1\r\ntrim = 0,1000\r\n")]
    [InlineData("fade = 1\rtrim = 0,1000\r")]
    [InlineData("\uFEFFfade = 1\ntrim = 0,1000")]
    [InlineData("fade\t=\t1\ntrim = 0,1000")]
    public void Accepts_any_line_ending_a_byte_order_mark_and_tabs(string text)
    {
        var settings = SidecarConfig.Parse(text);

        Assert.Equal(new Dictionary<string, string> { ["fade"] = "1", ["trim"] = "0,1000" }, settings);
    }

    [Theory]
    [InlineData("no equals sign here")]
    [InlineData("= value without a name")]
    [InlineData("   =   ")]
    [InlineData("two words = value")]
    [InlineData("na\0me = value")]
    [InlineData("name = va\0lue")]
    [InlineData("name = bell\u0007")]
    [InlineData("<html><body>404</body></html>")]
    [InlineData("")]
    public void Skips_lines_that_are_not_settings(string line)
    {
        var settings = SidecarConfig.Parse($"{line}\nfade = 1");

        Assert.Equal(new Dictionary<string, string> { ["fade"] = "1" }, settings);
    }

    [Fact]
    public void Skips_very_long_lines_and_names()
    {
        var settings = SidecarConfig.Parse($"description = {new string('x', 1_000_000)}\n{new string('n', 1000)} = 1\nfade = 1");

        Assert.Equal(new Dictionary<string, string> { ["fade"] = "1" }, settings);
    }

    [Fact]
    public void Survives_binary_garbage()
    {
        var random = new Random(42);
        for (var round = 0; round < 200; round++)
        {
            var bytes = new byte[random.Next(0, 4096)];
            random.NextBytes(bytes);
            var text = System.Text.Encoding.Latin1.GetString(bytes) + "\nfade = 1\n" + System.Text.Encoding.UTF8.GetString(bytes);

            var settings = SidecarConfig.Parse(text);

            Assert.Equal("1", settings["fade"]);
            Assert.All(settings, s => Assert.DoesNotContain(s.Value, c => char.IsControl(c) && c != '\t'));
        }
    }

    [Fact]
    public void Survives_a_megabyte_without_line_breaks_or_equals_signs() =>
        Assert.Empty(SidecarConfig.Parse(new string('#', 1_000_000) + new string('a', 1_000_000)));
}
