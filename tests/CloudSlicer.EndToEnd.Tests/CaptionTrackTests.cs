using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// Caption tracks on the real server: <c>/jobs/add_track_vtt</c> and <c>/jobs/replace_track_vtt</c> with TTML
/// given inline and by URL, the <c>&lt;url&gt;.ttml</c> sidecar of <c>/jobs/create</c>, what the master, the WebVTT
/// segments, <c>/api2/asset/get</c> and hls.js in Chromium show, and the refusals.
/// </summary>
public sealed partial class CaptionTrackTests(CaptionTrackTests.Fixture assets) : IClassFixture<CaptionTrackTests.Fixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    private Api2Client Client => assets.Running.Client;

    private HttpClient Http => assets.Running.Http;

    [Fact]
    public async Task Tracks_from_ttml_data_and_ttml_url_are_listed_in_the_master_with_their_cues_at_their_times_and_replacing_track_0_changes_only_its_text()
    {
        var asset = await assets.SliceAsync("clip.mp4", new { });
        var before = await MasterAsync(asset);

        var added = await RunAsync("add_track_vtt", new { asset, ttml_data = Base64(Ttml(("00:00:01.000", "00:00:02.500", "Hello captions"), ("5s", "6s", "Second caption"))), lang = "en", desc = "English" });
        Assert.Equal("done", added["state"]!.GetValue<string>());
        Assert.Equal(asset, added["asset"]!.GetValue<string>());
        var fromUrl = await RunAsync("add_track_vtt", new { asset = $"ext:{await ExternalIdAsync(asset)}", ttml_url = assets.Sources.UrlOf("spanish.ttml"), lang = "es" });
        Assert.Equal("done", fromUrl["state"]!.GetValue<string>());

        var master = await MasterAsync(asset);
        var subtitles = SubtitleMedia(master);
        Assert.Equal(2, subtitles.Count);
        Assert.Contains("LANGUAGE=\"en\",NAME=\"English\"", subtitles[0], StringComparison.Ordinal);
        Assert.Contains("LANGUAGE=\"es\",NAME=\"es\"", subtitles[1], StringComparison.Ordinal);
        Assert.All(master.Split('\n').Where(l => l.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal)), l => Assert.Contains("SUBTITLES=\"subs\"", l, StringComparison.Ordinal));
        // The rays and the audio are the ones the asset had: only lines for the new group were added.
        Assert.Equal(
            before.Split('\n').Where(l => !l.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal)),
            master.Split('\n').Where(l => !l.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal) && !l.Contains("TYPE=SUBTITLES", StringComparison.Ordinal)));

        var english = await CuesAsync(Uri(subtitles[0]));
        Assert.Contains(new VttCue(0, "00:00:01.000", "00:00:02.500", "Hello captions"), english);
        Assert.Contains(new VttCue(1, "00:00:05.000", "00:00:06.000", "Second caption"), english);
        Assert.DoesNotContain(english, c => c.Segment == 0 && c.Text == "Second caption");
        var spanish = await CuesAsync(Uri(subtitles[1]));
        Assert.Contains(new VttCue(0, "00:00:00.500", "00:00:03.000", "Hola subtítulos"), spanish);

        var tracks = (await GetAssetAsync(asset))["caption_tracks"]!.AsArray();
        Assert.Equal(["0:en:English", "1:es:"], tracks.Select(t => $"{t!["track_num"]}:{t["lang"]}:{t["desc"]}"));

        var replaced = await RunAsync("replace_track_vtt", new { asset, track_num = 0, ttml_data = Base64(Ttml(("00:00:01.000", "00:00:02.500", "Replaced text"))) });
        Assert.Equal("done", replaced["state"]!.GetValue<string>());

        var after = await MasterAsync(asset);
        var replacedMedia = SubtitleMedia(after);
        // Same tracks, same order, same names; only track 0's files are new (under a name never used before).
        Assert.Equal(subtitles.Select(WithoutUri), replacedMedia.Select(WithoutUri));
        Assert.NotEqual(Uri(subtitles[0]), Uri(replacedMedia[0]));
        Assert.Equal(subtitles[1], replacedMedia[1]);
        Assert.Equal(
            master.Split('\n').Where(l => !l.Contains("TYPE=SUBTITLES", StringComparison.Ordinal)),
            after.Split('\n').Where(l => !l.Contains("TYPE=SUBTITLES", StringComparison.Ordinal)));
        var newText = await CuesAsync(Uri(replacedMedia[0]));
        Assert.Contains(new VttCue(0, "00:00:01.000", "00:00:02.500", "Replaced text"), newText);
        Assert.DoesNotContain(newText, c => c.Text.Contains("Hello", StringComparison.Ordinal));
        Assert.Equal(spanish, await CuesAsync(Uri(replacedMedia[1])));
        Assert.Equal(["0:en:English", "1:es:"], (await GetAssetAsync(asset))["caption_tracks"]!.AsArray().Select(t => $"{t!["track_num"]}:{t["lang"]}:{t["desc"]}"));
        await AssertPlaysAsync(asset);
    }

    [Fact]
    public async Task A_ttml_with_a_dtd_bomb_fails_its_job_with_a_clear_last_error_and_the_asset_plays_as_it_was()
    {
        var asset = assets.Plain;
        var before = await MasterAsync(asset);
        const string bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
             <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
            <tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">&lol3;</p></div></body></tt>
            """;

        var job = await RunAsync("add_track_vtt", new { asset, ttml_data = Base64(bomb) });

        Assert.Equal("error", job["state"]!.GetValue<string>());
        var error = job["last_error"]!.GetValue<string>();
        Assert.StartsWith("Captions track 0: line 2: the document has a DTD", error, StringComparison.Ordinal);
        Assert.Equal(before, await MasterAsync(asset));
        await AssertPlaysAsync(asset);
    }

    [Fact]
    public async Task A_ttml_with_a_bad_time_fails_its_job_naming_the_line_and_the_value()
    {
        var job = await RunAsync("add_track_vtt", new { asset = assets.Plain, ttml_data = Base64(Ttml(("00:00:xx", "2s", "Broken"))) });

        Assert.Equal("error", job["state"]!.GetValue<string>());
        Assert.Matches(@"^Captions track 0: line \d+: begin '00:00:xx' is not a TTML time expression", job["last_error"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_64th_caption_track_is_refused()
    {
        var asset = await assets.SliceAsync("clip.mp4", new { });
        var track = Base64(Ttml(("1s", "2s", "One of many")));
        var sixtyThree = Enumerable.Range(0, 63).Select(i => new { ttml_data = track, lang = "en", desc = $"Track {i}" }).ToArray();
        var job = await RunAsync("add_track_vtt", new { asset, source = sixtyThree });
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        Assert.Equal(63, SubtitleMedia(await MasterAsync(asset)).Count);

        var refused = await Client.CallAsync("/api2/cloudslicer/jobs/add_track_vtt", new { asset, ttml_data = track });

        Assert.Equal(1, refused["error"]!.GetValue<int>());
        Assert.Contains("has 63 caption tracks; adding 1 would pass the limit of 63", refused["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Captions_are_refused_while_the_asset_is_still_being_sliced()
    {
        var create = await Client.CreateAsync(assets.Sources.UrlOf("clip.mp4"), new { external_id = "still-slicing" });
        try
        {
            var refused = await Client.CallAsync("/api2/cloudslicer/jobs/add_track_vtt", new { asset = "ext:still-slicing", ttml_data = Base64(Ttml(("1s", "2s", "Too early"))) });

            Assert.Equal(1, refused["error"]!.GetValue<int>());
            Assert.Matches(
                $"^Asset ext:still-slicing is still being sliced: job {create} \\(create\\) is (waiting|assigned); add or replace captions once it is done$",
                refused["msg"]!.GetValue<string>());
        }
        finally
        {
            await Client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id = create });
        }
    }

    [Fact]
    public async Task An_unknown_default_position_is_refused_when_the_job_is_created()
    {
        var refused = await Client.CallAsync("/api2/cloudslicer/jobs/add_track_vtt", new { asset = assets.Plain, ttml_data = Base64(Ttml(("1s", "2s", "x"))), default_position = "upstairs" });

        Assert.Equal(1, refused["error"]!.GetValue<int>());
        Assert.StartsWith("default_position 'upstairs' is not made of top, middle, bottom", refused["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ttml_sidecar_next_to_the_source_becomes_caption_track_0_in_its_own_language()
    {
        var asset = assets.Sidecar;

        var media = SubtitleMedia(await MasterAsync(asset));

        Assert.Single(media);
        Assert.Contains("LANGUAGE=\"fr\"", media[0], StringComparison.Ordinal);
        Assert.Contains(new VttCue(0, "00:00:00.500", "00:00:08.000", "Bonjour les sous-titres"), await CuesAsync(Uri(media[0])));
        var track = Assert.Single((await GetAssetAsync(asset))["caption_tracks"]!.AsArray());
        Assert.Equal("fr", track!["lang"]!.GetValue<string>());
        // The MPD is built from the same master: its subtitle group must not break it.
        using var mpd = await Http.GetAsync($"/{asset}.mpd");
        Assert.Equal(System.Net.HttpStatusCode.OK, mpd.StatusCode);
    }

    [Fact]
    public async Task Hls_js_in_chromium_lists_the_caption_track_and_shows_its_cue()
    {
        var player = await BrowserPlayer.StartAsync();
        await using var _ = player;
        await using var pages = await LoopbackFileServer.StartAsync(player.Directory);

        var stdout = await MediaClips.RunAsync("node",
            [Path.Combine(player.Directory, "play.mjs"), "--page", pages.UrlOf("play.html"), "--player", "hls",
             "--src", $"{assets.Running.Server.Url}/{assets.Sidecar}.m3u8", "--until", "2", "--timeout", "25000", "--subtitles", "1"],
            CancellationToken.None);
        var report = JsonNode.Parse(stdout)!.AsObject();

        Assert.True(report["fatal"] is null && !report["timedOut"]!.GetValue<bool>(), stdout);
        var tracks = report["subtitleTracks"]!.AsArray();
        Assert.True(tracks.Count == 1 && tracks[0]!["lang"]!.GetValue<string>() == "fr", stdout);
        Assert.Contains("Bonjour les sous-titres", report["subtitleCues"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    private async Task<JsonObject> RunAsync(string endpoint, object parameters)
    {
        var response = await Client.CallAsync($"/api2/cloudslicer/jobs/{endpoint}", parameters);
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        var (job, _) = await Client.WaitFinishedAsync(response["job"]!["id"]!.GetValue<string>(), JobTimeout);
        return job;
    }

    private async Task<JsonObject> GetAssetAsync(string id)
    {
        var response = await Client.CallAsync("/api2/asset/get", new { id });
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response["asset"]!.AsObject();
    }

    private async Task<string> ExternalIdAsync(string asset)
    {
        var externalId = $"captions-{asset}";
        var response = await Client.CallAsync("/api2/asset/update", new { id = asset, external_id = externalId });
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return externalId;
    }

    private Task<string> MasterAsync(string asset) => Http.GetStringAsync($"/{asset}.m3u8");

    /// <summary>Every cue of a subtitle rendition, with the segment it was found in (a cue spanning two is listed twice).</summary>
    private async Task<List<VttCue>> CuesAsync(string playlistPath)
    {
        var playlist = await Http.GetStringAsync($"/{playlistPath}");
        var directory = playlistPath[..(playlistPath.LastIndexOf('/') + 1)];
        var cues = new List<VttCue>();
        var segments = playlist.Split('\n').Where(l => l.EndsWith(".vtt", StringComparison.Ordinal)).ToList();
        for (var i = 0; i < segments.Count; i++)
        {
            var vtt = await Http.GetStringAsync($"/{directory}{segments[i]}");
            Assert.StartsWith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n", vtt, StringComparison.Ordinal);
            foreach (var block in vtt.Split("\n\n").Skip(1))
            {
                var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var timing = CueTiming().Match(lines[0]);
                Assert.True(timing.Success, vtt);
                cues.Add(new VttCue(i, timing.Groups[1].Value, timing.Groups[2].Value, string.Join('\n', lines.Skip(1))));
            }
        }

        return cues;
    }

    private async Task AssertPlaysAsync(string asset)
    {
        var url = $"{assets.Running.Server.Url}/{asset}.m3u8";
        Assert.Contains("video", await Media.ProbeStreamTypesAsync(url));
        Assert.InRange(await Media.ProbeDurationAsync(url), 8.5, 9.5);
    }

    private static List<string> SubtitleMedia(string master) =>
        [.. master.Split('\n').Where(l => l.StartsWith("#EXT-X-MEDIA:TYPE=SUBTITLES", StringComparison.Ordinal))];

    private static string Uri(string media) => UriAttribute().Match(media).Groups[1].Value;

    private static string WithoutUri(string media) => UriAttribute().Replace(media, "");

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    internal static string Ttml(params (string Begin, string End, string Text)[] cues) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tt xmlns=\"http://www.w3.org/ns/ttml\" xml:lang=\"en\">\n<body>\n<div>\n"
        + string.Concat(cues.Select(c => $"<p begin=\"{c.Begin}\" end=\"{c.End}\">{c.Text}</p>\n"))
        + "</div>\n</body>\n</tt>\n";

    [GeneratedRegex(@"^(\d\d:\d\d:\d\d\.\d\d\d) --> (\d\d:\d\d:\d\d\.\d\d\d)")]
    private static partial Regex CueTiming();

    [GeneratedRegex(",URI=\"([^\"]*)\"")]
    private static partial Regex UriAttribute();

    private sealed record VttCue(int Segment, string Start, string End, string Text);

    /// <summary>
    /// The server, the sources (a 9 s clip; a copy with a French <c>.ttml</c> sidecar; a Spanish TTML for
    /// <c>ttml_url</c>) and two assets sliced at the start: a plain one and one made with the sidecar.
    /// </summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly TempDirectory _sources = new();

        internal RunningServer Running { get; private set; } = null!;

        internal LoopbackFileServer Sources { get; private set; } = null!;

        public string Plain { get; private set; } = "";

        public string Sidecar { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(_sources.Path);
            var clip = Path.Combine(_sources.Path, "clip.mp4");
            await MediaClips.GenerateAsync(clip, new MediaClipSpec { Duration = TimeSpan.FromSeconds(9), Width = 320, Height = 180, FrameRate = 25, WithAudio = true });
            File.Copy(clip, Path.Combine(_sources.Path, "captioned.mp4"));
            await File.WriteAllTextAsync(
                Path.Combine(_sources.Path, "captioned.mp4.ttml"),
                Ttml(("00:00:00.500", "00:00:08.000", "Bonjour les sous-titres")).Replace("xml:lang=\"en\"", "xml:lang=\"fr\"", StringComparison.Ordinal));
            await File.WriteAllTextAsync(Path.Combine(_sources.Path, "spanish.ttml"), Ttml(("0.5s", "3s", "Hola subtítulos")));
            Sources = await LoopbackFileServer.StartAsync(_sources.Path);
            Running = await RunningServer.StartAsync("--slicers", "2");
            var made = await Task.WhenAll(SliceAsync("clip.mp4", new { }), SliceAsync("captioned.mp4", new { }));
            (Plain, Sidecar) = (made[0], made[1]);
        }

        public async Task<string> SliceAsync(string source, object args)
        {
            var id = await Running.Client.CreateAsync(Sources.UrlOf(source), args);
            var (job, _) = await Running.Client.WaitFinishedAsync(id, JobTimeout);
            Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
            return job["asset"]!.GetValue<string>();
        }

        public async Task DisposeAsync()
        {
            if (Running is not null)
            {
                await Running.DisposeAsync();
            }

            if (Sources is not null)
            {
                await Sources.DisposeAsync();
            }

            _sources.Dispose();
        }
    }
}
