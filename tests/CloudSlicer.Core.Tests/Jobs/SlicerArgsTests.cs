using System.Text.Json.Nodes;
using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Core.Tests.Jobs;

public class SlicerArgsTests
{
    private static JsonObject Args(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void The_seed_sample_is_accepted_and_description_is_echoed_as_desc()
    {
        Assert.True(SlicerArgs.TryParse(Args("""{"trim": "5000,10000", "description": "My file description"}"""), out var args, out var illegal, out _));
        Assert.Empty(illegal);
        Assert.Equal(new Trim(5000, 10000), args.Trim);
        Assert.Equal("My file description", args.Description);
        Assert.Equal("""{"trim":"5000,10000","desc":"My file description"}""", args.Normalized.ToJsonString());
    }

    [Fact]
    public void Unknown_keys_are_reported_and_dropped()
    {
        Assert.True(SlicerArgs.TryParse(Args("""{"bad_arg1": 1, "desc": "x", "bad_arg2": "y"}"""), out var args, out var illegal, out _));
        Assert.Equal(["bad_arg1", "bad_arg2"], illegal);
        Assert.Equal("""{"desc":"x"}""", args.Normalized.ToJsonString());
    }

    [Fact]
    public void Every_documented_setting_is_accepted()
    {
        var all = new JsonObject();
        foreach (var key in SlicerArgs.AcceptedKeys)
        {
            all[key] = key switch
            {
                "trim" => "0",
                "meta" => "a=b",
                "meta_int" => "a=1",
                "slicer_args" => "-stereodownmix",
                _ when key.EndsWith("_url", StringComparison.Ordinal) => "https://hooks.example/",
                _ => Settings.MediaSettingsTests.Samples.GetValueOrDefault(key, "1"),
            };
        }

        Assert.True(SlicerArgs.TryParse(all, out _, out var illegal, out var error), error);
        Assert.Empty(illegal);
    }

    [Theory]
    [InlineData("\"5000\"", 5000L, null)]
    [InlineData("5000", 5000L, null)]
    [InlineData("\" 5000 , 10000 \"", 5000L, 10000L)]
    [InlineData("\"0,1\"", 0L, 1L)]
    public void Trim_forms_that_parse(string json, long start, long? duration)
    {
        Assert.True(SlicerArgs.TryParse(Args($$"""{"trim": {{json}}}"""), out var args, out _, out var error), error);
        Assert.Equal(new Trim(start, duration), args.Trim);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"5000,\"")]
    [InlineData("\"-5,100\"")]
    [InlineData("\"5000,0\"")]
    [InlineData("\"1,2,3\"")]
    [InlineData("\"5e3\"")]
    [InlineData("\"\"")]
    [InlineData("\"99999999999999999999\"")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[5000, 10000]")]
    [InlineData("{\"start\": 1}")]
    public void Malformed_trim_is_refused_with_a_message_naming_the_format(string json)
    {
        Assert.False(SlicerArgs.TryParse(Args($$"""{"trim": {{json}}}"""), out _, out _, out var error));
        Assert.Contains("trim", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"max_slices": "ten"}""", "max_slices")]
    [InlineData("""{"autoexpire": 1.5}""", "autoexpire")]
    [InlineData("""{"desc": {"a": 1}}""", "desc")]
    public void Unusable_values_are_refused(string json, string key)
    {
        Assert.False(SlicerArgs.TryParse(Args(json), out _, out _, out var error));
        Assert.Contains(key, error, StringComparison.Ordinal);
    }
}
