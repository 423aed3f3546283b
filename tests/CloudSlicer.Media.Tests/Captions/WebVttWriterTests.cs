using CloudSlicer.Media.Captions;
using CloudSlicer.Testing;
using static CloudSlicer.Media.Tests.Captions.Ttml;

namespace CloudSlicer.Media.Tests.Captions;

public class WebVttWriterTests
{
    private static readonly TimeSpan Slice = Slices.SliceDuration;

    [Fact]
    public void One_file_per_slice_each_with_the_timestamp_map_and_a_cue_repeated_in_every_slice_it_touches()
    {
        var cues = new[]
        {
            new Cue(Ms(1000), Ms(2000), ["first"]),
            new Cue(Ms(4000), Ms(4200), ["across", "the boundary"]),
        };

        var track = WebVttWriter.Write(cues, Ms(9000));

        Assert.Equal(3, track.Segments.Count);
        Assert.Equal(["seg_00000.vtt", "seg_00001.vtt", "seg_00002.vtt"], track.Segments.Select(s => s.FileName));
        Assert.Equal(
            "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n00:00:01.000 --> 00:00:02.000\nfirst\n\n00:00:04.000 --> 00:00:04.200\nacross\nthe boundary\n",
            track.Segments[0].Text);
        Assert.Equal(
            "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n00:00:04.000 --> 00:00:04.200\nacross\nthe boundary\n",
            track.Segments[1].Text);
        Assert.Equal("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n", track.Segments[2].Text);
    }

    [Fact]
    public void The_playlist_lists_every_slice_with_its_duration_the_last_one_short()
    {
        var track = WebVttWriter.Write([new Cue(Ms(0), Ms(1000), ["x"])], Ms(9000));

        Assert.Equal(
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n" +
            "#EXTINF:4.096000,\nseg_00000.vtt\n#EXTINF:4.096000,\nseg_00001.vtt\n#EXTINF:0.808000,\nseg_00002.vtt\n#EXT-X-ENDLIST\n",
            track.Playlist);
        Assert.Equal(Slice * 2, track.Segments[2].Start);
    }

    [Fact]
    public void The_media_timeline_start_becomes_the_mpegts_value()
    {
        var track = WebVttWriter.Write([], Ms(1000), new WebVttOptions { MediaTimelineStart = TimeSpan.FromSeconds(10) });

        Assert.StartsWith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n", track.Segments[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_is_escaped_so_it_can_never_hold_markup_or_an_arrow_or_end_the_cue()
    {
        var track = WebVttWriter.Write([new Cue(Ms(0), Ms(1000), ["a --> b & <i>c</i>", "", "tab\tand\rcr"])], Ms(1000));

        Assert.Equal(
            "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n00:00:00.000 --> 00:00:01.000\na --&gt; b &amp; &lt;i&gt;c&lt;/i&gt;\ntab and cr\n",
            track.Segments[0].Text);
    }

    [Fact]
    public void The_time_offset_is_subtracted_and_cues_are_cut_to_the_asset()
    {
        var cues = new[]
        {
            new Cue(TimeSpan.FromHours(1), TimeSpan.FromHours(1) + Ms(500), ["before the asset"]),
            new Cue(TimeSpan.FromHours(1) + Ms(1500), TimeSpan.FromHours(1) + Ms(3000), ["straddles the start"]),
            new Cue(TimeSpan.FromHours(1) + Ms(3500), Cue.Indefinite, ["to the end"]),
        };

        var track = WebVttWriter.Write(cues, Ms(4000), new WebVttOptions { TimeOffset = TimeSpan.FromHours(1) + Ms(2000) });

        Assert.Equal(
            "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n00:00:00.000 --> 00:00:01.000\nstraddles the start\n\n00:00:01.500 --> 00:00:04.000\nto the end\n",
            track.Segments[0].Text);
    }

    [Fact]
    public void Cue_settings_are_written_on_every_cue()
    {
        var settings = CueSettings.From("top-left", "rl");

        var track = WebVttWriter.Write([new Cue(Ms(0), Ms(1000), ["x"])], Ms(1000), new WebVttOptions { Settings = settings });

        Assert.Contains("00:00:00.000 --> 00:00:01.000 vertical:rl line:0 align:left\nx\n", track.Segments[0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "")]
    [InlineData("", "0", "")]
    [InlineData("top", null, "line:0")]
    [InlineData("middle", null, "line:50%,center")]
    [InlineData("bottom-right", null, "line:-1 align:right")]
    [InlineData("Center", null, "align:center")]
    [InlineData("10%", "lr", "vertical:lr line:10%")]
    [InlineData("85", "1", "vertical:rl line:85%")]
    public void Default_position_and_vertical_map_onto_webvtt_settings(string? position, string? vertical, string expected)
    {
        Assert.Equal(expected, CueSettings.From(position, vertical).Text);
    }

    [Theory]
    [InlineData("upstairs", null, "default_position 'upstairs' is not made of top, middle, bottom")]
    [InlineData("150%", null, "default_position '150%' is not made of")]
    [InlineData(null, "sideways", "default_vertical 'sideways' is not rl, lr, 1 or 0")]
    public void An_unknown_position_or_vertical_is_a_clear_error(string? position, string? vertical, string message)
    {
        var ex = Assert.Throws<CaptionException>(() => CueSettings.From(position, vertical));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clipping_keeps_what_shows_inside_the_range_and_moves_it_to_zero()
    {
        var cues = new[]
        {
            new Cue(Ms(0), Ms(1000), ["gone"]),
            new Cue(Ms(1500), Ms(2500), ["cut at the start"]),
            new Cue(Ms(3000), Ms(3500), ["inside"]),
            new Cue(Ms(4500), Cue.Indefinite, ["cut at the end"]),
            new Cue(Ms(6000), Ms(7000), ["after"]),
        };

        var clip = CueClip.Clip(cues, Ms(2000), Ms(5000));

        Assert.Equal(
            [("cut at the start", Ms(0), Ms(500)), ("inside", Ms(1000), Ms(1500)), ("cut at the end", Ms(2500), Ms(3000))],
            clip.Select(c => (c.Text, c.Start, c.End)));
    }
}

/// <summary>The real ffmpeg reads what the writer makes.</summary>
[Collection(MediaCollection.Name)]
public class WebVttFfmpegTests
{
    [Fact]
    public async Task Ffprobe_reads_every_cue_of_a_segment_and_ffmpeg_reads_the_whole_playlist()
    {
        using var dir = new TempDirectory();
        var cues = TtmlParser.Parse(Bytes(Doc("""
            <div>
              <p begin="00:00:01.000" end="00:00:02.000">one &amp; <span>only</span></p>
              <p begin="3.9s" end="4.5s">across<br/>the boundary</p>
              <p begin="100t" end="150t">ticks</p>
            </div>
            """, "ttp:tickRate=\"20\"")));
        var track = WebVttWriter.Write(cues, TimeSpan.FromSeconds(9), new WebVttOptions { Settings = CueSettings.From("top", null) });
        await track.WriteToAsync(dir.Path, CancellationToken.None);

        var first = await MediaClips.RunAsync("ffprobe",
            ["-v", "error", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", dir.File("seg_00000.vtt")], CancellationToken.None);
        var second = await MediaClips.RunAsync("ffprobe",
            ["-v", "error", "-show_entries", "packet=pts_time", "-of", "csv=p=0", dir.File("seg_00001.vtt")], CancellationToken.None);
        var log = await MediaClips.RunAsync("ffmpeg",
            ["-v", "error", "-allowed_extensions", "ALL", "-i", dir.File(WebVttTrack.PlaylistName), "-f", "webvtt", "-"], CancellationToken.None);

        Assert.Equal(["1.000000,1.000000", "3.900000,0.600000"], Lines(first));
        Assert.Equal(["3.900000", "5.000000"], Lines(second));
        Assert.Contains("one & only", log, StringComparison.Ordinal);
        Assert.Contains("ticks", log, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.TrimEnd(','))];
}
