using System.Text;
using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Testing;

namespace CloudSlicer.Api.Tests.Jobs;

/// <summary>
/// The job endpoints that work on an existing asset, over real Kestrel and SQLite (no slicer runs here): each
/// answers the seed's job dictionary, stores its typed spec for the slicer, and refuses bad calls and other
/// owners' assets with a clear message.
/// </summary>
public sealed class AssetJobsApiTests : IAsyncLifetime
{
    private const string PublicUrl = "https://cdn.example.com";
    private ApiServer _server = null!;
    private Api2Client _alice = null!;
    private Api2Client _bob = null!;
    private AssetManifest _asset = null!;

    private IJobQueue Queue => _server.Service<IJobQueue>();

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync(settings: new Dictionary<string, string?> { ["PublicUrl"] = PublicUrl });
        _alice = await _server.NewOwnerClientAsync();
        _bob = await _server.NewOwnerClientAsync();
        var published = await _server.Service<IAssetStore>().PublishAsync(
            new AssetManifest
            {
                Id = Core.Ids.New(),
                Owner = _alice.Owner,
                ExternalId = "pilot",
                Duration = 60,
                SliceDuration = 4.096,
                Slices = 15,
                Rays = [new Ray("a", 426, 240, 30, 400)],
                Renditions = [new Rendition(Rendition.Audio, "audio", "en", "audio/index.m3u8", 128, "English", "aac")],
            },
            false,
            default);
        _asset = Assert.IsType<PublishOutcome.Published>(published).Asset;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<T> StoredSpecAsync<T>(JsonObject response)
        where T : class
    {
        var id = response["job"]!["id"]!.GetValue<string>();
        return JobSpecs.Read<T>((await Queue.GetAsync(_alice.Owner, id, default))!);
    }

    [Fact]
    public async Task A_quickclip_answers_the_seeds_job_with_trim_and_the_assets_url_and_stores_its_spec()
    {
        var response = await _alice.CallAsync("/api2/cloudslicer/jobs/quickclip", new
        {
            source = new { trim = new[] { 3000, 15000 } },
            args = new { beam_id = _asset.Id, poster_ts = "00:00:05.250" },
        });

        Assert.Equal(0, response["error"]!.GetValue<int>());
        var job = response["job"]!.AsObject();
        Assert.Equal("waiting", job["state"]!.GetValue<string>());
        Assert.Equal($"{{\"trim\":[3000,15000],\"url\":\"{PublicUrl}/{_asset.Id}.m3u8\"}}", job["source"]!.ToJsonString());
        Assert.Null(job["asset"]);
        Assert.Equal(new QuickClipSpec(_asset.Id, 3000, 15000, 5250), await StoredSpecAsync<QuickClipSpec>(response));
    }

    [Theory]
    [InlineData(12500, 12500L)]
    [InlineData("12.5", 12500L)]
    [InlineData("00:00:52.500", 52500L)]
    [InlineData("0:00:07", 7000L)]
    public async Task Poster_ts_is_milliseconds_seconds_or_a_clock(object posterTs, long expectedMs)
    {
        var response = await _alice.CallAsync("/api2/cloudslicer/jobs/quickclip", new
        {
            source = new { trim = new[] { 0, 10000 } },
            args = new { beam_id = _asset.Id, poster_ts = posterTs },
        });

        Assert.Equal(expectedMs, (await StoredSpecAsync<QuickClipSpec>(response)).PosterMs);
    }

    [Theory]
    [InlineData("{\"trim\":[3000]}", "source.trim must be [start offset ms, duration ms]")]
    [InlineData("{\"trim\":[3000,0]}", "the duration must be more than 0")]
    [InlineData("{\"trim\":[-1,1000]}", "whole numbers of milliseconds")]
    [InlineData("{\"trim\":\"3000,1000\"}", "source.trim must be")]
    [InlineData("{\"trim\":[55000,10000]}", "past the end of asset")]
    [InlineData("{}", "Missing source.trim")]
    public async Task A_bad_trim_is_refused_with_the_form_it_must_take(string source, string expected)
    {
        var response = await _alice.CallAsync("/api2/cloudslicer/jobs/quickclip", new JsonObject
        {
            ["source"] = JsonNode.Parse(source),
            ["args"] = new JsonObject { ["beam_id"] = _asset.Id },
        });

        Assert.Equal(1, response["error"]!.GetValue<int>());
        Assert.Contains(expected, response["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"1:2:3:4\"")]
    [InlineData("[1]")]
    [InlineData("-5")]
    public async Task A_bad_poster_ts_is_refused(string posterTs)
    {
        var response = await _alice.CallAsync("/api2/cloudslicer/jobs/quickclip", new JsonObject
        {
            ["source"] = new JsonObject { ["trim"] = new JsonArray(0, 1000) },
            ["args"] = new JsonObject { ["beam_id"] = _asset.Id, ["poster_ts"] = JsonNode.Parse(posterTs) },
        });

        Assert.Equal(1, response["error"]!.GetValue<int>());
        Assert.Contains("poster_ts", response["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_owners_asset_is_not_found_for_every_asset_job()
    {
        var calls = new (string Path, object Params)[]
        {
            ("/api2/cloudslicer/jobs/quickclip", new { source = new { trim = new[] { 0, 1000 } }, args = new { beam_id = _asset.Id } }),
            ("/api2/cloudslicer/jobs/create_export", new { asset = _asset.Id }),
            ("/api2/cloudslicer/jobs/add_track_audio", new { asset = _asset.Id, url = "https://example.com/es.mp3" }),
            ("/api2/cloudslicer/jobs/add_track_audio", new { asset = "ext:pilot", url = "https://example.com/es.mp3" }),
            ("/api2/cloudslicer/jobs/add_track_vtt", new { asset = _asset.Id, ttml_url = "https://example.com/en.ttml" }),
        };
        foreach (var (path, parameters) in calls)
        {
            var response = await _bob.CallAsync(path, parameters);
            Assert.Equal(1, response["error"]!.GetValue<int>());
            Assert.StartsWith("Not found", response["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Empty(await Queue.ListAsync(_bob.Owner, 50, 0, default));
    }

    [Fact]
    public async Task An_export_echoes_export_mp4_names_the_asset_and_honours_aaclc()
    {
        var response = await _alice.CallAsync("/api2/cloudslicer/jobs/create_export", new { asset = _asset.Id });
        var lc = await _alice.CallAsync("/api2/cloudslicer/jobs/create_export", new { asset = _asset.Id, aaclc = "1" });

        var job = response["job"]!.AsObject();
        Assert.Equal("{\"export_mp4\":true}", job["args"]!.ToJsonString());
        Assert.Equal("{}", job["source"]!.ToJsonString());
        Assert.Equal(_asset.Id, job["asset"]!.GetValue<string>());
        Assert.False((await StoredSpecAsync<ExportSpec>(response)).AacLc);
        Assert.True((await StoredSpecAsync<ExportSpec>(lc)).AacLc);
        Assert.Equal("export", (await Queue.GetAsync(_alice.Owner, job["id"]!.GetValue<string>(), default))!.Kind.ToWire());
    }

    [Fact]
    public async Task An_audio_track_by_external_id_echoes_the_seeds_args_without_the_urls_credentials()
    {
        var response = await _alice.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new
        {
            asset = "ext:pilot",
            desc = "Spanish",
            lang = "es",
            url = "https://user:secret@storage.example.com/audio/es.mp3?sig=abc",
        });

        var job = response["job"]!.AsObject();
        Assert.Equal(_asset.Id, job["asset"]!.GetValue<string>());
        var args = job["args"]!.AsObject();
        Assert.Equal("Spanish", args["track_desc"]!.GetValue<string>());
        Assert.Equal(0, args["dolby"]!.GetValue<int>());
        Assert.DoesNotContain("secret", job.ToJsonString(), StringComparison.Ordinal);
        var spec = await StoredSpecAsync<AudioTrackSpec>(response);
        Assert.Equal("https://user:secret@storage.example.com/audio/es.mp3?sig=abc", Assert.Single(spec.Tracks).Url);
        Assert.Equal(new AudioTrackSource(spec.Tracks[0].Url, "Spanish", "es", false), spec.Tracks[0]);
    }

    [Fact]
    public async Task Audio_tracks_as_a_source_list_are_parsed_in_order_and_a_bad_one_is_named()
    {
        var ok = await _alice.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new
        {
            asset = _asset.Id,
            source = new object[] { new { url = "https://example.com/es.mp3", lang = "es" }, new { url = "https://example.com/fr.mp3", lang = "fr", dolby = 1 } },
        });
        var bad = await _alice.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new
        {
            asset = _asset.Id,
            source = new object[] { new { url = "https://example.com/es.mp3" }, new { url = "ftp://example.com/fr.mp3" } },
        });
        var badLang = await _alice.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new { asset = _asset.Id, url = "https://example.com/es.mp3", lang = "spanish!" });

        Assert.Equal(["es", "fr"], (await StoredSpecAsync<AudioTrackSpec>(ok)).Tracks.Select(t => t.Lang));
        Assert.True((await StoredSpecAsync<AudioTrackSpec>(ok)).Tracks[1].Dolby);
        Assert.Contains("source[1].url must be an http or https URL", bad["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("lang must be a language tag", badLang["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caption_track_from_base64_ttml_is_stored_decoded_and_never_echoed()
    {
        const string Ttml = "<tt xmlns=\"http://www.w3.org/ns/ttml\"><body><div><p begin=\"1s\" end=\"2s\">Hello</p></div></body></tt>";
        var response = await _alice.CallAsync("/api2/cloudslicer/jobs/add_track_vtt", new
        {
            asset = _asset.Id,
            ttml_data = Convert.ToBase64String(Encoding.UTF8.GetBytes(Ttml)),
            lang = "en",
            desc = "English CC",
        });

        var args = response["job"]!["args"]!.AsObject();
        Assert.Equal(0, args["add_track_num"]!.GetValue<int>());
        Assert.Null(args["ttml_data"]);
        Assert.True(args.ContainsKey("ttml_data"));
        Assert.Equal(Ttml, Assert.Single((await StoredSpecAsync<VttTrackSpec>(response)).Tracks).TtmlData);
    }

    [Theory]
    [InlineData("{\"ttml_data\":\"not base64!!\"}", "not valid base64")]
    [InlineData("{\"ttml_data\":\"/w==\"}", "does not decode to UTF-8")]
    [InlineData("{}", "exactly one of ttml_url")]
    [InlineData("{\"ttml_url\":\"https://example.com/a.ttml\",\"ttml_data\":\"PHR0Lz4=\"}", "exactly one of ttml_url")]
    public async Task A_bad_caption_track_is_refused_clearly(string fields, string expected)
    {
        var parameters = JsonNode.Parse(fields)!.AsObject();
        parameters["asset"] = _asset.Id;
        var response = await _alice.CallAsync("/api2/cloudslicer/jobs/add_track_vtt", parameters);

        Assert.Equal(1, response["error"]!.GetValue<int>());
        Assert.Contains(expected, response["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replacing_a_caption_track_the_asset_does_not_have_is_refused()
    {
        var response = await _alice.CallAsync("/api2/cloudslicer/jobs/replace_track_vtt", new { asset = _asset.Id, ttml_url = "https://example.com/a.ttml", track_num = 0 });

        Assert.Equal(1, response["error"]!.GetValue<int>());
        Assert.Contains("no caption tracks to replace", response["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
