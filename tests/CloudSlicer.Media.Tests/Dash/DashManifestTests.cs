using System.Buffers.Binary;
using System.Text;
using CloudSlicer.Core.Assets;
using CloudSlicer.Media.Dash;
using CloudSlicer.Media.Hls;

namespace CloudSlicer.Media.Tests.Dash;

/// <summary>The MPD built from an asset's stored HLS files, for a fixed asset: compared with a golden file.</summary>
public class DashManifestTests
{
    private const string Asset = "0123456789abcdef0123456789abcdef";

    private static readonly Ray[] Rays = [new("a", 320, 180, 30, 300), new("b", 640, 360, 30000 / 1001.0, 800)];

    [Fact]
    public async Task Mpd_for_two_rays_and_audio_matches_golden()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["a/index.m3u8"] = Playlist("4.100000", "4.066667", "4.100000", "0.733333"),
            ["a/init.mp4"] = Init(15360),
            ["b/index.m3u8"] = Playlist("4.104100", "4.070733", "4.104100", "0.734067"),
            ["b/init.mp4"] = Init(30000),
            ["audio/index.m3u8"] = Playlist("4.096000", "4.096000", "4.096000", "0.712000"),
            ["audio/init.mp4"] = Init(48000),
        };

        var mpd = await BuildAsync(HlsMaster.Build(Rays, hasAudio: true, $"{Asset}/"), files);

        AssertGolden("two_rays_and_audio.mpd", mpd);
    }

    [Fact]
    public async Task Subtitle_renditions_in_the_master_leave_the_mpd_as_it_was()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["a/index.m3u8"] = Playlist("4.100000", "1.000000"),
            ["a/init.mp4"] = Init(15360),
            ["b/index.m3u8"] = Playlist("4.100000", "1.000000"),
            ["b/init.mp4"] = Init(15360),
            ["audio/index.m3u8"] = Playlist("4.096000", "1.004000"),
            ["audio/init.mp4"] = Init(48000),
        };
        var plain = new AssetManifest { Id = Asset, Owner = "o", Rays = Rays, Renditions = [HlsMaster.OwnAudio(128)] };
        var captioned = plain with { Renditions = [.. plain.Renditions, new Rendition(Rendition.Subtitles, "sub0", "fr", "sub0/index.m3u8")] };

        var master = HlsMaster.Build(captioned, $"{Asset}/");
        Assert.Contains("TYPE=SUBTITLES", master, StringComparison.Ordinal);

        Assert.Equal(await BuildAsync(HlsMaster.Build(plain, $"{Asset}/"), files), await BuildAsync(master, files));
    }

    [Fact]
    public async Task Mpd_of_a_silent_asset_has_no_audio_adaptation_set()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["a/index.m3u8"] = Playlist("4.100000", "1.000000"),
            ["a/init.mp4"] = Init(15360),
            ["b/index.m3u8"] = Playlist("4.100000", "1.000000"),
            ["b/init.mp4"] = Init(15360),
        };

        var mpd = await BuildAsync(HlsMaster.Build(Rays, hasAudio: false, $"{Asset}/"), files);

        Assert.DoesNotContain("audio", mpd, StringComparison.Ordinal);
        Assert.Contains("mediaPresentationDuration=\"PT5.1S\"", mpd, StringComparison.Ordinal);
        Assert.Contains("<S t=\"0\" d=\"62976\" />", mpd, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../x/index.m3u8")]
    [InlineData("a/../../index.m3u8")]
    [InlineData("a/other.m3u8")]
    public async Task A_master_naming_files_outside_the_layout_is_refused(string uri)
    {
        var master = $"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=2x2,CODECS=\"avc1.64001e\"\n{Asset}/{uri}\n";

        await Assert.ThrowsAsync<MediaException>(() => BuildAsync(master, []));
    }

    [Theory]
    [InlineData("seg_00000.m4s\n#EXTINF:4.1,\nseg_00002.m4s")] // a gap the template's numbers cannot skip
    [InlineData("slice_1.ts")]
    [InlineData("../b/seg_00000.m4s")]
    public async Task Slices_not_named_as_the_template_addresses_them_are_refused(string slices)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["a/index.m3u8"] = Encoding.UTF8.GetBytes($"#EXTM3U\n#EXTINF:4.1,\n{slices}\n"),
            ["a/init.mp4"] = Init(15360),
        };

        await Assert.ThrowsAsync<MediaException>(() => BuildAsync(HlsMaster.Build(Rays[..1], hasAudio: false, $"{Asset}/"), files));
    }

    [Fact]
    public async Task Mpd_of_a_clip_starts_its_timeline_at_the_offset_with_a_presentation_time_offset_and_matches_golden()
    {
        // A clip of [20.3, 29.7) s keeps its source's slice names (seg_00004...) and timestamps: its first slices, the
        // re-cut edges, start at 20.3 s (video) and 20.288 s (audio, on an AAC frame).
        var files = new Dictionary<string, byte[]>
        {
            ["a/index.m3u8"] = Playlist(4, "0.200000", "4.100000", "4.066667", "1.033333"),
            ["a/init.mp4"] = Init(15360),
            ["a/seg_00004.m4s"] = Segment(311808), // 20.3 s
            ["b/index.m3u8"] = Playlist(4, "0.200000", "4.100000", "4.066667", "1.033333"),
            ["b/init.mp4"] = Init(30000),
            ["b/seg_00004.m4s"] = Segment(609000, version: 0),
            ["audio/index.m3u8"] = Playlist(4, "0.192000", "4.096000", "4.096000", "1.034667"),
            ["audio/init.mp4"] = Init(48000),
            ["audio/seg_00004.m4s"] = Segment(973824), // 20.288 s
        };

        var mpd = await BuildAsync(HlsMaster.Build(Rays, hasAudio: true, $"{Asset}/"), files);

        var templates = Elements(mpd, "SegmentTemplate").ToDictionary(t => t.Parent!.Attribute("id")!.Value);
        Assert.All(templates.Values, t => Assert.Equal("4", t.Attribute("startNumber")!.Value));
        // The same instant, 20.3 s, in each timescale: the period starts where the video does, for every track.
        Assert.Equal("311808", templates["a"].Attribute("presentationTimeOffset")!.Value);
        Assert.Equal("609000", templates["b"].Attribute("presentationTimeOffset")!.Value);
        Assert.Equal("974400", templates["audio"].Attribute("presentationTimeOffset")!.Value);
        Assert.Equal("973824", templates["audio"].Descendants().First(e => e.Name.LocalName == "S").Attribute("t")!.Value);
        AssertGolden("clip_from_offset.mpd", mpd);
    }

    [Fact]
    public async Task Mpd_of_an_asset_with_a_dolby_track_lists_each_ray_once_and_every_audio_track_with_its_language()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["a/index.m3u8"] = Playlist("4.100000", "1.000000"),
            ["a/init.mp4"] = Init(15360),
            ["b/index.m3u8"] = Playlist("4.100000", "1.000000"),
            ["b/init.mp4"] = Init(15360),
        };
        foreach (var dir in new[] { "audio", "audio1", "ec3_1" })
        {
            files[$"{dir}/index.m3u8"] = Playlist("4.096000", "1.004000");
            files[$"{dir}/init.mp4"] = Init(48000);
        }

        var asset = new AssetManifest
        {
            Id = Asset,
            Owner = "o",
            Rays = Rays,
            Renditions =
            [
                HlsMaster.OwnAudio(128),
                new Rendition(Rendition.Audio, "audio1", "es", "audio1/index.m3u8", 128, "Spanish", "aac"),
                new Rendition(Rendition.Audio, "ec3_1", "es", "ec3_1/index.m3u8", 384, "Spanish", "eac3"),
            ],
        };
        var master = HlsMaster.Build(asset, $"{Asset}/");
        Assert.Equal(4, master.Split('\n').Count(l => l.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal)));

        var mpd = await BuildAsync(master, files);

        var rays = Elements(mpd, "Representation").Where(r => r.Parent!.Attribute("contentType")!.Value == "video").ToList();
        Assert.Equal(["a", "b"], rays.Select(r => r.Attribute("id")!.Value));
        Assert.Equal(["450000", "1200000"], rays.Select(r => r.Attribute("bandwidth")!.Value));
        var audio = Elements(mpd, "AdaptationSet").Where(a => a.Attribute("contentType")!.Value == "audio").Select(a =>
        {
            var representation = a.Elements().Single(e => e.Name.LocalName == "Representation");
            return string.Join(' ',
                a.Attribute("id")!.Value, a.Attribute("lang")!.Value,
                a.Elements().Single(e => e.Name.LocalName == "Role").Attribute("value")!.Value,
                a.Elements().SingleOrDefault(e => e.Name.LocalName == "Label")?.Value ?? "-",
                representation.Attribute("id")!.Value, representation.Attribute("codecs")!.Value, representation.Attribute("bandwidth")!.Value,
                representation.Elements().Single(e => e.Name.LocalName == "AudioChannelConfiguration").Attribute("value")!.Value);
        });
        Assert.Equal(
            ["1 en main - audio mp4a.40.2 128000 2", "2 es alternate Spanish audio1 mp4a.40.2 128000 2", "3 es alternate Spanish ec3_1 ec-3 384000 6"],
            audio);
    }

    [Fact]
    public void The_timescale_is_read_from_a_version_1_mdhd_too()
    {
        Assert.Equal(90000, Mp4Timescale.Read(Init(90000, version: 1)));
        Assert.Null(Mp4Timescale.Read(Encoding.ASCII.GetBytes("not an mp4 at all")));
    }

    /// <summary>A slice the test does not give starts at decode time 0, as an asset's do.</summary>
    private static Task<string> BuildAsync(string master, Dictionary<string, byte[]> files) =>
        HlsAssetReader.BuildMpdAsync(
            master, $"{Asset}/", 128_000,
            (path, _) => Task.FromResult(files.GetValueOrDefault(path) ?? (path.EndsWith(".m4s", StringComparison.Ordinal) ? Segment(0) : null)),
            CancellationToken.None);

    private static IEnumerable<System.Xml.Linq.XElement> Elements(string mpd, string name) =>
        System.Xml.Linq.XDocument.Parse(mpd).Descendants().Where(e => e.Name.LocalName == name);

    private static byte[] Playlist(params string[] durations) => Playlist(0, durations);

    /// <summary>A media playlist whose slices are named from <paramref name="first"/> on (a clip keeps its source's names).</summary>
    private static byte[] Playlist(int first, params string[] durations)
    {
        var text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"init.mp4\"\n");
        for (var i = 0; i < durations.Length; i++)
        {
            text.Append("#EXTINF:").Append(durations[i]).Append(",\n").Append(HlsOutput.SegmentName(first + i)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.Append("#EXT-X-ENDLIST\n").ToString());
    }

    /// <summary>styp, then moof/traf/tfdt with the decode time: all of a media segment the reader looks at.</summary>
    private static byte[] Segment(long decodeTime, int version = 1)
    {
        var tfdt = new byte[version == 1 ? 12 : 8];
        tfdt[0] = (byte)version;
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt64BigEndian(tfdt.AsSpan(4), (ulong)decodeTime);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(tfdt.AsSpan(4), (uint)decodeTime);
        }

        return [.. Box("styp", Encoding.ASCII.GetBytes("msdh\0\0\0\0")), .. Box("moof", [.. Box("mfhd", new byte[8]), .. Box("traf", Box("tfdt", tfdt))])];
    }

    /// <summary>ftyp, then moov/trak/mdia/mdhd with the timescale: all of an init segment the reader looks at.</summary>
    private static byte[] Init(int timescale, int version = 0)
    {
        var mdhd = new byte[version == 1 ? 36 : 24];
        mdhd[0] = (byte)version;
        BinaryPrimitives.WriteUInt32BigEndian(mdhd.AsSpan(version == 1 ? 20 : 12), (uint)timescale);
        return [.. Box("ftyp", Encoding.ASCII.GetBytes("iso6\0\0\0\0")), .. Box("moov", Box("trak", Box("mdia", Box("mdhd", mdhd))))];
    }

    private static byte[] Box(string type, byte[] body)
    {
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        body.CopyTo(box, 8);
        return box;
    }

    /// <summary>UPDATE_GOLDEN=1 rewrites the golden file in the source tree instead (review the diff).</summary>
    private static void AssertGolden(string name, string actual, [System.Runtime.CompilerServices.CallerFilePath] string callerFile = "")
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(callerFile)!, "Golden", name), actual);
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Dash", "Golden", name);
        Assert.True(File.Exists(path), $"golden file {name} is missing; run with UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
