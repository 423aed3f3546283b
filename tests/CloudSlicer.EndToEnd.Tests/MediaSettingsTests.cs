using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>Media settings end to end: the real server slices a real clip and a player's tools check what came out.</summary>
public sealed class MediaSettingsTests(MediaSettingsSources sources) : IClassFixture<MediaSettingsSources>, IAsyncLifetime
{
    private RunningServer _running = null!;

    public async Task InitializeAsync() => _running = await RunningServer.StartAsync("--slicers", "2");

    public async Task DisposeAsync() => await _running.DisposeAsync();

    [Fact]
    public async Task Breaks_cut_and_mark_the_asset_a_fade_starts_it_black_and_poster_and_thumbnails_are_made_as_asked()
    {
        var asset = await SliceAsync("clip.mp4", new
        {
            breaks = "2-4,intro:0-1",
            fade = "in,both,0,1000",
            poster = "6000",
            poster_size = "160x160",
            thumbnails = "small:64x64",
            timedmeta = "1500:TIT2=Chapter one,60000:TIT2=past the end",
        });

        // 10 s less the 2 s cut, in every rendition; the cut's point is marked in every playlist.
        var master = await _running.Http.GetStringAsync($"/{asset}.m3u8");
        Assert.InRange(await Media.ProbeDurationAsync($"{_running.Server.Url}/{asset}.m3u8"), 7.8, 8.2);
        foreach (var uri in HlsPlaylists.Uris(master))
        {
            var playlist = await _running.Http.GetStringAsync($"/{uri}");
            Assert.InRange(HlsPlaylists.SegmentDurations(playlist).Sum(), 7.8, 8.2);
            Assert.Single(Regex.Matches(playlist, "^#EXT-X-CUE-OUT:0\n#EXT-X-CUE-IN$", RegexOptions.Multiline));
            Assert.Single(playlist.Split('\n'), l => l.StartsWith("#EXT-X-DATERANGE:", StringComparison.Ordinal));
            Assert.Contains("#EXT-X-DATERANGE:ID=\"timedmeta-0\",START-DATE=\"1970-01-01T00:00:01.500Z\",X-TIT2=\"Chapter one\"\n", playlist, StringComparison.Ordinal);
        }

        var ray = HlsPlaylists.Uris(master).Last(u => !u.StartsWith($"{asset}/audio", StringComparison.Ordinal));
        var video = await DownloadRenditionAsync(ray);
        Assert.InRange(await FrameStatAsync(video, 0, "YAVG"), 0, 20);      // faded in from black
        Assert.InRange(await FrameStatAsync(video, 3, "YAVG"), 40, 255);    // and not black later

        // The top ray is 426x240; the poster fits 160x160 with its aspect.
        Assert.Equal("mjpeg,160,90", await ImageSizeAsync($"{_running.Server.Url}/{asset}/poster.jpg"));

        // A thumbnail per slice (8 s: two), at the default size and at the one asked.
        Assert.Equal("mjpeg,256,144", await ImageSizeAsync($"{_running.Server.Url}/{asset}/thumbs/default/00001.jpg"));
        Assert.Equal("mjpeg,64,36", await ImageSizeAsync($"{_running.Server.Url}/{asset}/thumbs/small/00000.jpg"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _running.Http.GetAsync($"/{asset}/thumbs/small/00002.jpg")).StatusCode);
    }

    [Fact]
    public async Task Max_slices_aspect_bug_poster_file_and_mix_atracks_shape_the_asset()
    {
        var asset = await SliceAsync("two-tracks.mp4", new
        {
            max_slices = 1,
            force_aspect_ratio = "4:3",
            bug = $"{sources.Url("bug")},0,2000",
            poster_file = sources.Url("poster"),
            mix_atracks = "1=both",
        });

        Assert.InRange(await Media.ProbeDurationAsync($"{_running.Server.Url}/{asset}.m3u8"), 3.9, 4.3);
        var master = await _running.Http.GetStringAsync($"/{asset}.m3u8");
        Assert.Contains("RESOLUTION=320x240", master, StringComparison.Ordinal);
        var ray = HlsPlaylists.Uris(master).Last(u => !u.StartsWith($"{asset}/audio", StringComparison.Ordinal));
        var video = await DownloadRenditionAsync(ray);
        Assert.InRange(await FrameStatAsync(video, 1, "VAVG"), 220, 255);   // the red bug covers the frame
        Assert.InRange(await FrameStatAsync(video, 3, "VAVG"), 0, 200);     // until it ends
        Assert.Equal("mjpeg,100,50", await ImageSizeAsync($"{_running.Server.Url}/{asset}/poster.jpg"));

        // Track 0 is silence and track 1 a tone: only the mix makes the audio rendition audible.
        Assert.InRange(await MeanVolumeAsync(await DownloadRenditionAsync($"{asset}/audio/index.m3u8")), -40, 0);
    }

    [Theory]
    [InlineData("""{"breaks": "12-5"}""", "breaks: '12-5' ends before it starts")]
    [InlineData("""{"fade": "in,all,0,1000"}""", "fade: 'in,all,0,1000' is not in|out")]
    [InlineData("""{"poster_size": "big"}""", "poster_size: 'big' is not WxH")]
    [InlineData("""{"timedmeta": "1000-TIT2=x"}""", "timedmeta: '1000-TIT2=x' is not timeMs:FIELD=value")]
    [InlineData("""{"slicer_args": "-gain 3"}""", "slicer_args: -gain is not supported by CloudSlicer")]
    [InlineData("""{"slicer_args": "-break 9-3"}""", "breaks: '9-3' ends before it starts")]
    public async Task A_bad_media_setting_is_refused_at_create_with_the_setting_named(string args, string expected)
    {
        var response = await _running.Client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = sources.Url("clip.mp4") }, args = JsonNode.Parse(args) });

        Assert.Equal(1, response["error"]!.GetValue<int>());
        Assert.Contains(expected, response["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bug_that_is_not_an_image_fails_the_job_once_naming_the_setting()
    {
        var id = await _running.Client.CreateAsync(sources.Url("clip.mp4"), new { bug = $"{sources.Url("clip.mp4")},0,1000" });
        var (job, _) = await _running.Client.WaitFinishedAsync(id, TimeSpan.FromMinutes(2));

        Assert.Equal("error", job["state"]!.GetValue<string>());
        Assert.Equal(1, job["attempts"]!.GetValue<int>());
        Assert.StartsWith("bug: the file fetched is not a PNG, JPEG, WebP or BMP image", job["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<string> SliceAsync(string name, object args)
    {
        var id = await _running.Client.CreateAsync(sources.Url(name), args);
        var (job, _) = await _running.Client.WaitFinishedAsync(id, TimeSpan.FromMinutes(3));
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        return job["asset"]!.GetValue<string>();
    }

    /// <summary>
    /// A rendition fetched over HTTP as one local MP4 (init + every slice): ffmpeg 5.1's HLS demuxer cannot
    /// seek in CMAF playlists, a local fragmented MP4 it can.
    /// </summary>
    private async Task<string> DownloadRenditionAsync(string playlistUri)
    {
        var dir = playlistUri[..(playlistUri.LastIndexOf('/') + 1)];
        var playlist = await _running.Http.GetStringAsync($"/{playlistUri}");
        var path = Path.Combine(_running.DataPath, $"{Guid.NewGuid():N}.mp4");
        await using var file = File.Create(path);
        foreach (var part in HlsPlaylists.Uris(playlist))   // the init segment (EXT-X-MAP) first, then the slices
        {
            await file.WriteAsync(await _running.Http.GetByteArrayAsync($"/{dir}{part}"));
        }

        return path;
    }

    private static async Task<string> ImageSizeAsync(string url) =>
        (await Media.RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", url)).Trim();

    /// <summary>A signalstats value (YAVG, VAVG ...) of the frame at <paramref name="seconds"/>.</summary>
    private static async Task<double> FrameStatAsync(string url, double seconds, string stat)
    {
        var output = await Media.RunAsync("ffmpeg", "-v", "error", "-ss", seconds.ToString(CultureInfo.InvariantCulture), "-i", url, "-frames:v", "1",
            "-vf", $"signalstats,metadata=print:key=lavfi.signalstats.{stat}:file=-", "-f", "null", "-");
        var line = output.Split('\n').FirstOrDefault(l => l.Contains($"lavfi.signalstats.{stat}=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no {stat} for {url}: {output}");
        return double.Parse(line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>astats' overall RMS level in dB; silence is minus infinity.</summary>
    private static async Task<double> MeanVolumeAsync(string url)
    {
        var output = await Media.RunAsync("ffmpeg", "-v", "error", "-i", url,
            "-af", "astats=metadata=1:reset=0,ametadata=print:key=lavfi.astats.Overall.RMS_level:file=-", "-f", "null", "-");
        var last = output.Split('\n').Last(l => l.Contains("RMS_level=", StringComparison.Ordinal));
        var value = last[(last.IndexOf('=', StringComparison.Ordinal) + 1)..];
        return value.Contains("inf", StringComparison.Ordinal) ? double.NegativeInfinity : double.Parse(value, CultureInfo.InvariantCulture);
    }
}

/// <summary>The clips and images the media settings tests fetch, on a loopback HTTP server.</summary>
public sealed class MediaSettingsSources : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"cloudslicer-media-settings-{Guid.NewGuid():N}");

    private LoopbackFileServer _server = null!;

    public string Url(string name) => _server.UrlOf(name);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        string In(string name) => Path.Combine(_directory, name);
        await Task.WhenAll(
            MediaClips.GenerateAsync(In("clip.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(10), Width = 480, Height = 270, FrameRate = 30 }),
            Media.RunAsync("ffmpeg", "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=480x270:rate=30:duration=6",
                "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=6",
                "-map", "0:v", "-map", "1:a", "-map", "2:a", "-t", "6",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", In("two-tracks.mp4")),
            // Names without an extension: the server must sniff them as images, not trust a name.
            Media.RunAsync("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=red:s=64x36,format=rgba", "-frames:v", "1", "-c:v", "png", "-f", "image2", "-update", "1", In("bug")),
            Media.RunAsync("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=green:s=100x50", "-frames:v", "1", "-c:v", "png", "-f", "image2", "-update", "1", In("poster")));
        _server = await LoopbackFileServer.StartAsync(_directory);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The images settings name go through the SSRF guard like the source: a refused address is never dialled.</summary>
public sealed class MediaSettingsGuardTests(MediaSettingsSources sources) : IClassFixture<MediaSettingsSources>, IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new();
    private readonly CanaryListener _canary = CanaryListener.Start(System.Net.IPAddress.Parse("127.0.0.3"));
    private CloudSlicerProcess _server = null!;
    private Api2Client _client = null!;

    public async Task InitializeAsync()
    {
        // The guard as a public service runs it, with only the source server's address allowed.
        _server = await ServerProcess.StartAsync(
            _data.Path, new Dictionary<string, string> { ["CLOUDSLICER_Sources__AllowedHosts__0"] = "127.0.0.1" }, allowPrivateSources: false);
        _http.BaseAddress = new Uri(_server.Url);
        _client = new Api2Client(_http, _server.Owner!, _server.Secret!);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _canary.DisposeAsync();
        _http.Dispose();
        _data.Dispose();
    }

    [Theory]
    [InlineData("bug")]
    [InlineData("poster_file")]
    public async Task An_image_on_a_refused_address_fails_the_job_once_and_is_never_dialled(string setting)
    {
        var url = _canary.Url("127.0.0.3", "/logo.png");
        var args = new JsonObject { [setting] = setting == "bug" ? $"{url},0,1000" : url };

        var id = await _client.CreateAsync(sources.Url("clip.mp4"), args);
        var (job, _) = await _client.WaitFinishedAsync(id, TimeSpan.FromMinutes(2));

        Assert.Equal(("error", 1), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        Assert.StartsWith($"{setting}: the image could not be fetched: ", job["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, _canary.Connections);
    }
}
