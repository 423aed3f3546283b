using System.Text.Json.Nodes;
using CloudSlicer.Media.Probe;

namespace CloudSlicer.Media.Tests.Probe;

/// <summary>On ffprobe 5.1 output captured from generated files (see TestData/README.md).</summary>
public class ProbeParserTests
{
    [Theory]
    [InlineData("h264_aac_1080p.json", "mov,mp4,m4a,3gp,3g2,mj2", 2.0, 1920, 1080, 30.0, true, 2)]
    [InlineData("h264_no_audio_360p.json", "mov,mp4,m4a,3gp,3g2,mj2", 2.0, 640, 360, 25.0, false, 1)]
    [InlineData("h264_rotated_90.json", "mov,mp4,m4a,3gp,3g2,mj2", 2.0, 360, 640, 30.0, true, 2)]
    [InlineData("h264_anamorphic_pal.json", "mov,mp4,m4a,3gp,3g2,mj2", 2.0, 768, 576, 25.0, false, 1)]
    [InlineData("h264_aac_2997.json", "matroska,webm", 2.023, 1280, 720, 29.97003, true, 2)]
    [InlineData("aac_audio_only.json", "mov,mp4,m4a,3gp,3g2,mj2", 2.0, 0, 0, 0.0, true, 1)]
    [InlineData("mp3_with_cover_art.json", "mp3", 2.037551, 0, 0, 0.0, true, 2)]
    public void Reduces_captured_output_to_source_info(
        string file, string container, double seconds, int width, int height, double fps, bool hasAudio, int streams)
    {
        var probe = ProbeParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Probe", "TestData", file)));
        var source = probe.ToSourceInfo();

        Assert.Equal(container, source.Container);
        Assert.Equal(seconds, source.Duration.TotalSeconds, precision: 5);
        Assert.Equal((width, height), (source.Width, source.Height));
        Assert.Equal(fps, source.FrameRate, precision: 4);
        Assert.Equal(hasAudio, source.HasAudio);
        Assert.Equal(streams, probe.Streams.Count);
    }

    [Fact]
    public void Reads_the_rotation_from_the_display_matrix()
    {
        var probe = Parse("h264_rotated_90.json");

        Assert.Equal((90, 640, 360), (probe.Video!.Rotation, probe.Video.Width, probe.Video.Height));
    }

    [Fact]
    public void Cover_art_is_not_video()
    {
        var probe = Parse("mp3_with_cover_art.json");

        Assert.Null(probe.Video);
        Assert.Contains(probe.Streams, s => s.CodecType == "video" && s.IsAttachedPicture);
        var ex = Assert.Throws<MediaException>(() => probe.RequireVideo());
        Assert.Equal("The source has no video stream (it has only audio)", ex.Message);
    }

    [Fact]
    public void Reads_audio_details()
    {
        var audio = Parse("h264_aac_1080p.json").Audio!;

        Assert.Equal(("aac", "LC", 48000, 1), (audio.CodecName, audio.Profile, audio.SampleRate, audio.Channels));
    }

    [Fact]
    public void Falls_back_to_stream_durations_and_r_frame_rate()
    {
        const string json = """
            {"streams":[{"index":0,"codec_type":"video","width":320,"height":240,"avg_frame_rate":"0/0",
                         "r_frame_rate":"25/1","duration":"7.5"},
                        {"index":1,"codec_type":"audio","duration":"8.25","sample_rate":"44100"}],
             "format":{"format_name":"avi"}}
            """;

        var source = ProbeParser.Parse(json).ToSourceInfo();

        Assert.Equal((TimeSpan.FromSeconds(8.25), 25.0, 320, 240), (source.Duration, source.FrameRate, source.Width, source.Height));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Output_that_is_not_ffprobe_json_is_a_media_error(string text)
    {
        Assert.Throws<MediaException>(() => ProbeParser.Parse(text));
    }

    [Fact]
    public void Missing_sections_read_as_empty()
    {
        var probe = ProbeParser.Parse("{}");

        Assert.Empty(probe.Streams);
        Assert.Equal(("", TimeSpan.Zero), (probe.Format.FormatName, probe.Duration));
    }

    /// <summary>
    /// ffprobe is asked only for <see cref="ProbeParser.ShowEntries"/>: cut each full capture down to those
    /// fields, as ffprobe would, and the parser must read exactly what it read from the whole.
    /// </summary>
    [Theory]
    [InlineData("h264_aac_1080p.json")]
    [InlineData("h264_no_audio_360p.json")]
    [InlineData("h264_rotated_90.json")]
    [InlineData("h264_anamorphic_pal.json")]
    [InlineData("h264_aac_2997.json")]
    [InlineData("aac_audio_only.json")]
    [InlineData("mp3_with_cover_art.json")]
    public void The_entries_asked_of_ffprobe_hold_every_field_the_parser_reads(string file)
    {
        var full = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Probe", "TestData", file));

        var whole = ProbeParser.Parse(full);
        var cut = ProbeParser.Parse(KeepOnlyShowEntries(full));

        Assert.True(cut.Streams.Count > 0);
        Assert.Equal(whole.Format, cut.Format);
        Assert.Equal(whole.Streams, cut.Streams);
    }

    private static ProbeResult Parse(string file) =>
        ProbeParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Probe", "TestData", file)));

    /// <summary>What ffprobe prints for <c>-show_entries ProbeParser.ShowEntries</c>, made from a full capture.</summary>
    private static string KeepOnlyShowEntries(string fullJson)
    {
        var entries = ProbeParser.ShowEntries.Split(':')
            .Select(section => section.Split('='))
            .ToDictionary(p => p[0], p => p[1].Split(',').ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var root = JsonNode.Parse(fullJson)!.AsObject();

        var format = Keep(root["format"]!.AsObject(), entries["format"]);
        var streams = new JsonArray();
        foreach (var stream in root["streams"]!.AsArray().Select(s => s!.AsObject()))
        {
            var kept = Keep(stream, entries["stream"]);
            foreach (var (section, name) in new[] { ("stream_disposition", "disposition"), ("stream_tags", "tags") })
            {
                if (stream[name] is JsonObject inner)
                {
                    kept[name] = Keep(inner, entries[section]);
                }
            }

            if (stream["side_data_list"] is JsonArray sideData)
            {
                kept["side_data_list"] = new JsonArray([.. sideData.Select(sd => (JsonNode)Keep(sd!.AsObject(), entries["stream_side_data"]))]);
            }

            streams.Add(kept);
        }

        return new JsonObject { ["streams"] = streams, ["format"] = format }.ToJsonString();
    }

    private static JsonObject Keep(JsonObject section, HashSet<string> fields) =>
        new(section.Where(p => fields.Contains(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
}
