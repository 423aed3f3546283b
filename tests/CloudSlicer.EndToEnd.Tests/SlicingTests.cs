using System.Net;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>The real server, a real source on loopback, real ffmpeg: what a user of /jobs/create sees.</summary>
public sealed class SlicingTests(Sources sources) : IClassFixture<Sources>, IAsyncLifetime
{
    private RunningServer _running = null!;

    public async Task InitializeAsync() => _running = await RunningServer.StartAsync("--slicers", "2");

    public async Task DisposeAsync() => await _running.DisposeAsync();

    [Fact]
    public async Task Create_with_trim_goes_to_done_and_the_asset_plays_over_http()
    {
        var created = await _running.Client.CallAsync("/api2/cloudslicer/jobs/create", new
        {
            source = new { url = sources.Url("clip.mp4") },
            args = new { trim = "2000,4500", description = "My file description" },
        });
        var job = created["job"]!.AsObject();
        Assert.Equal(0, created["error"]!.GetValue<int>());
        Assert.Null(created["illegal_slicer_args"]);
        Assert.Equal("waiting", job["state"]!.GetValue<string>());
        Assert.Equal("""{"trim":"2000,4500","desc":"My file description"}""", job["args"]!.ToJsonString());
        Assert.Equal(sources.Url("clip.mp4"), job["source"]!["url"]!.GetValue<string>());
        Assert.Equal((0, 0L, 0L, "", ""), (job["attempts"]!.GetValue<int>(), job["finished"]!.GetValue<long>(), job["last_start"]!.GetValue<long>(), job["progress"]!.GetValue<string>(), job["last_error"]!.GetValue<string>()));
        Assert.Equal(_running.Server.Owner, job["owner"]!.GetValue<string>());

        var (done, _) = await _running.Client.WaitFinishedAsync(job["id"]!.GetValue<string>(), TimeSpan.FromMinutes(2));
        Assert.Equal("done", done["state"]!.GetValue<string>());
        Assert.Equal(1, done["attempts"]!.GetValue<int>());
        Assert.Equal("Finished successfully", done["progress"]!.GetValue<string>());
        Assert.InRange(done["finished"]!.GetValue<long>(), done["last_start"]!.GetValue<long>(), long.MaxValue);
        Assert.True(done["last_start"]!.GetValue<long>() > 1_700_000_000_000, "last_start is Unix milliseconds");
        var asset = done["asset"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", asset);

        // The master lists two rays and an audio rendition; ffprobe plays it over HTTP at the trimmed length.
        var masterUrl = $"{_running.Server.Url}/{asset}.m3u8";
        Assert.Equal(masterUrl, done["playback_url"]!.GetValue<string>());
        Assert.Equal($"{_running.Server.Url}/{asset}/poster.jpg", done["poster_url"]!.GetValue<string>());
        using var master = await _running.Http.GetAsync(masterUrl);
        Assert.Equal(HttpStatusCode.OK, master.StatusCode);
        Assert.Equal("application/vnd.apple.mpegurl", master.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", master.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var masterText = await master.Content.ReadAsStringAsync();
        Assert.Equal(2, masterText.Split('\n').Count(l => l.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal)));
        Assert.Contains("TYPE=AUDIO", masterText, StringComparison.Ordinal);
        Assert.InRange(await Media.ProbeDurationAsync(masterUrl), 4.2, 4.9);
        Assert.Contains("audio", await Media.ProbeStreamTypesAsync(masterUrl));

        // Every ray and the audio are cut in 4.096 s slices (the last one shorter).
        foreach (var playlistUri in HlsPlaylists.Uris(masterText))
        {
            var playlist = await _running.Http.GetStringAsync($"{_running.Server.Url}/{playlistUri}");
            var durations = HlsPlaylists.SegmentDurations(playlist);
            Assert.NotEmpty(durations);
            Assert.All(durations.SkipLast(1), d => Assert.InRange(d, 4.0, 4.2));
            Assert.InRange(durations.Sum(), 4.2, 4.9);
        }
    }

    [Fact]
    public async Task Slices_are_served_with_ranges_and_unknown_assets_are_404()
    {
        var id = await _running.Client.CreateAsync(sources.Url("clip.mp4"));
        var (done, _) = await _running.Client.WaitFinishedAsync(id, TimeSpan.FromMinutes(2));
        var asset = done["asset"]!.GetValue<string>();
        var masterText = await _running.Http.GetStringAsync($"/{asset}.m3u8");
        var rayPlaylistUri = HlsPlaylists.Uris(masterText).First(u => !u.Contains("audio", StringComparison.Ordinal));
        var rayDir = rayPlaylistUri[..(rayPlaylistUri.LastIndexOf('/') + 1)];
        var segment = HlsPlaylists.Uris(await _running.Http.GetStringAsync($"/{rayPlaylistUri}"))[^1];

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{rayDir}{segment}");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99);
        using var ranged = await _running.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(100, (await ranged.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("bytes", ranged.Content.Headers.ContentRange!.Unit);

        using var poster = await _running.Http.GetAsync($"/{asset}/poster.jpg");
        Assert.Equal(HttpStatusCode.OK, poster.StatusCode);
        Assert.Equal("image/jpeg", poster.Content.Headers.ContentType!.MediaType);
        var posterSize = await Media.RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", $"{_running.Server.Url}/{asset}/poster.jpg");
        Assert.Equal("mjpeg,426,240", posterSize.Trim());   // the top ray's size (ladder 144p, 240p in ServerProcess)

        // The sidecar clip.mp4.cfg gave the description the job's args did not; the asset record shows it.
        // asset.json (the manifest beside the media) is not served: it names the owner and job.
        Assert.Equal(HttpStatusCode.NotFound, (await _running.Http.GetAsync($"/{asset}/asset.json")).StatusCode);
        Assert.True(File.Exists(Path.Combine(_running.DataPath, "blobs", "assets", asset, "v1", "asset.json")));
        var metadata = (await _running.Client.CallAsync("/api2/asset/get", new { id = asset }))["asset"]!;
        Assert.Equal("from the sidecar", metadata["desc"]!.GetValue<string>());
        Assert.Equal(4.096, metadata["slice_dur"]!.GetValue<double>());

        Assert.Equal(HttpStatusCode.NotFound, (await _running.Http.GetAsync($"/{new string('0', 32)}.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _running.Http.GetAsync($"/{new string('0', 32)}/a/index.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _running.Http.GetAsync($"/{asset}/../../cloudslicer.db")).StatusCode);
    }

    // A damaged download may come out whole next time, so it spends CLOUDSLICER_Queue__MaxAttempts=2 (ServerProcess);
    // a playlist or a 404 will not, so it ends after one attempt (PermanentFailureTests).
    [Theory]
    [InlineData("empty.mp4", "not a media file", 2)]
    [InlineData("random.mp4", "not a media file", 2)]
    [InlineData("truncated.mp4", "truncated", 2)]
    [InlineData("notes.txt", "not a media file", 2)]
    [InlineData("list.m3u8", "playlist", 1)]
    [InlineData("missing.mp4", "404", 1)]
    public async Task Bad_sources_end_in_error_with_a_useful_last_error_after_the_attempts_they_deserve(string name, string expected, int attempts)
    {
        var id = await _running.Client.CreateAsync(sources.Url(name));
        var (job, _) = await _running.Client.WaitFinishedAsync(id, TimeSpan.FromMinutes(2));
        Assert.Equal("error", job["state"]!.GetValue<string>());
        Assert.Equal(attempts, job["attempts"]!.GetValue<int>());
        var lastError = job["last_error"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(lastError));
        Assert.Contains(expected, lastError, StringComparison.OrdinalIgnoreCase);
        Assert.True(job["finished"]!.GetValue<long>() > 0);
        Assert.Null(job["asset"]);
    }
}
