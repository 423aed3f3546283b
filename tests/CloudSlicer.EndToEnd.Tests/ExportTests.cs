using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// <c>/jobs/create_export</c> on the real server: the MP4 behind <c>hd_exported_url</c> has the top ray's video
/// as sliced, HE-AAC (or AAC-LC) audio that starts with the picture, the index first, the asset's duration, and is
/// served with ranges; other owners cannot export the asset; a cancelled export changes nothing. The source shows
/// black and silence for two seconds, then white and a tone, so sync is measured, not assumed.
/// </summary>
public sealed class ExportTests(ExportTests.Fixture fixture) : IClassFixture<ExportTests.Fixture>
{
    private const double Frame = 1 / 30.0;

    private RunningServer Running => fixture.Running;

    [Fact]
    public async Task An_export_is_one_mp4_of_the_top_ray_as_sliced_with_he_aac_in_sync_and_the_index_first()
    {
        var (job, mp4) = await ExportAsync(fixture.Asset, aacLc: false);

        Assert.Equal($"{Running.Server.Url}/{fixture.Asset}/export.mp4", job["hd_exported_url"]!.GetValue<string>());
        var asset = await GetAssetAsync(fixture.Asset);
        Assert.Equal(job["hd_exported_url"]!.GetValue<string>(), asset["mp4_url"]!.GetValue<string>());
        var top = asset["rays"]!.AsArray()[^1]!;
        var streams = await StreamsAsync(mp4);
        Assert.Equal(
            ("h264", top["width"]!.GetValue<int>(), top["height"]!.GetValue<int>(), "aac", "HE-AAC", 48_000),
            (streams.Video.Codec, streams.Video.Width, streams.Video.Height, streams.Audio.Codec, streams.Audio.Profile, streams.Audio.SampleRate));
        AssertIndexFirst(mp4);
        Assert.InRange(await Media.ProbeDurationAsync(mp4), asset["duration"]!.GetValue<double>() - Frame, asset["duration"]!.GetValue<double>() + Frame);
        await AssertInSyncAsync(mp4);

        // Not re-encoded: the export's video packets are the top ray's, byte for byte.
        var rayPlaylist = $"{Running.Server.Url}/{fixture.Asset}/{top["name"]!.GetValue<string>()}/index.m3u8";
        Assert.Equal(await VideoHashAsync(rayPlaylist), await VideoHashAsync(mp4));
    }

    [Fact]
    public async Task An_aaclc_export_has_lc_audio_in_sync_replaces_an_earlier_export_and_is_served_with_ranges()
    {
        await ExportAsync(fixture.Asset, aacLc: false);
        var (job, mp4) = await ExportAsync(fixture.Asset, aacLc: true);

        var streams = await StreamsAsync(mp4);
        Assert.Equal(("aac", "LC"), (streams.Audio.Codec, streams.Audio.Profile));
        AssertIndexFirst(mp4);
        await AssertInSyncAsync(mp4);

        var url = job["hd_exported_url"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(0, 99);
        using var ranged = await Running.Http.SendAsync(request);
        Assert.Equal((HttpStatusCode.PartialContent, 100L, "video/mp4"),
            (ranged.StatusCode, ranged.Content.Headers.ContentLength ?? -1, ranged.Content.Headers.ContentType?.MediaType));

        // Played over HTTP as a player would, and the asset itself still plays from its new version.
        Assert.InRange(await Media.ProbeDurationAsync(url), 4.5, 5.5);
        Assert.Equal(new[] { "audio", "video" }, (await Media.ProbeStreamTypesAsync(url)).Order());
        Assert.InRange(await Media.ProbeDurationAsync($"{Running.Server.Url}/{fixture.Asset}.m3u8"), 4.5, 5.5);
    }

    [Fact]
    public async Task An_export_of_another_owners_asset_is_not_found()
    {
        var other = JsonNode.Parse((await Cli.RunAsync(null, "owner", "add", "--data", Running.DataPath)).Stdout)!;
        var client = new Api2Client(Running.Http, other["owner"]!.GetValue<string>(), other["secret"]!.GetValue<string>());

        var response = await client.CallAsync("/api2/cloudslicer/jobs/create_export", new { asset = fixture.Asset });

        Assert.Equal(1, response["error"]!.GetValue<int>());
        Assert.StartsWith("Not found", response["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_export_leaves_the_asset_as_it_was()
    {
        var before = await GetAssetAsync(fixture.Untouched);

        var created = await Running.Client.CallAsync("/api2/cloudslicer/jobs/create_export", new { asset = fixture.Untouched });
        Assert.True(created["error"]!.GetValue<int>() == 0, created.ToJsonString());
        var id = created["job"]!["id"]!.GetValue<string>();
        var cancelled = await Running.Client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id });
        Assert.True(cancelled["error"]!.GetValue<int>() == 0, cancelled.ToJsonString());
        var (job, _) = await Running.Client.WaitFinishedAsync(id, TimeSpan.FromMinutes(2));

        Assert.Equal("cancelled", job["state"]!.GetValue<string>());
        Assert.Null(job["hd_exported_url"]);
        var after = await GetAssetAsync(fixture.Untouched);
        Assert.Equal((before["version"]!.GetValue<int>(), ""), (after["version"]!.GetValue<int>(), after["mp4_url"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await Running.Http.GetAsync($"/{fixture.Untouched}/export.mp4")).StatusCode);
        Assert.InRange(await Media.ProbeDurationAsync($"{Running.Server.Url}/{fixture.Untouched}.m3u8"), 4.5, 5.5);
    }

    private async Task<(JsonObject Job, string Mp4)> ExportAsync(string asset, bool aacLc)
    {
        var created = await Running.Client.CallAsync("/api2/cloudslicer/jobs/create_export", aacLc ? new { asset, aaclc = 1 } : (object)new { asset });
        Assert.True(created["error"]!.GetValue<int>() == 0, created.ToJsonString());
        var (job, seen) = await Running.Client.WaitFinishedAsync(created["job"]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(3));
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        Assert.Equal(asset, job["asset"]!.GetValue<string>());

        var mp4 = Path.Combine(fixture.Scratch.Path, $"{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(mp4, await Running.Http.GetByteArrayAsync(job["hd_exported_url"]!.GetValue<string>()));
        return (job, mp4);
    }

    private async Task<JsonObject> GetAssetAsync(string id)
    {
        var response = await Running.Client.CallAsync("/api2/asset/get", new { id });
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response["asset"]!.AsObject();
    }

    /// <summary>The sound starts (10 ms windows above -30 dB) within a frame of the picture turning white, both at 2 s.</summary>
    private static async Task AssertInSyncAsync(string mp4)
    {
        var picture = await OnsetAsync($"movie={mp4},signalstats", "lavfi.signalstats.YAVG", 128);
        var sound = await OnsetAsync($"amovie={mp4},asetnsamples=n=480,astats=metadata=1:reset=1", "lavfi.astats.Overall.RMS_level", -30);
        Assert.InRange(picture, 2 - Frame, 2 + Frame);
        Assert.InRange(sound - picture, -Frame, Frame);
    }

    /// <summary>The time of the first frame whose <paramref name="tag"/> passes <paramref name="threshold"/>, as ffprobe reads it through lavfi.</summary>
    private static async Task<double> OnsetAsync(string graph, string tag, double threshold)
    {
        var csv = await Media.RunAsync("ffprobe", "-v", "error", "-f", "lavfi", "-i", graph,
            "-show_entries", $"frame=pts_time:frame_tags={tag}", "-of", "csv=p=0");
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(',');
            if (fields.Length == 2 && double.TryParse(fields[1], CultureInfo.InvariantCulture, out var value) && value > threshold)
            {
                return double.Parse(fields[0], CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"no frame with {tag} above {threshold}");
    }

    private static async Task<string> VideoHashAsync(string input) =>
        (await Media.RunAsync("ffmpeg", "-v", "error", "-i", input, "-map", "0:v:0", "-c", "copy", "-f", "md5", "-")).Trim();

    private static void AssertIndexFirst(string mp4)
    {
        var types = TopLevelBoxes(File.ReadAllBytes(mp4));
        Assert.Contains("moov", types);
        Assert.Contains("mdat", types);
        Assert.True(types.IndexOf("moov") < types.IndexOf("mdat"), string.Join(',', types));
    }

    private static List<string> TopLevelBoxes(byte[] file)
    {
        var types = new List<string>();
        for (long at = 0; at + 8 <= file.Length;)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)at));
            types.Add(Encoding.ASCII.GetString(file, (int)at + 4, 4));
            size = size == 1 ? (long)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan((int)at + 8)) : size == 0 ? file.Length - at : size;
            at += Math.Max(size, 8);
        }

        return types;
    }

    private static async Task<((string Codec, int Width, int Height) Video, (string Codec, string Profile, int SampleRate) Audio)> StreamsAsync(string mp4)
    {
        var json = JsonNode.Parse(await Media.RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,profile,width,height,sample_rate", "-of", "json", mp4))!;
        var streams = json["streams"]!.AsArray();
        var video = streams.Single(s => s!["codec_type"]!.GetValue<string>() == "video")!;
        var audio = streams.Single(s => s!["codec_type"]!.GetValue<string>() == "audio")!;
        return ((video["codec_name"]!.GetValue<string>(), video["width"]!.GetValue<int>(), video["height"]!.GetValue<int>()),
            (audio["codec_name"]!.GetValue<string>(), audio["profile"]!.GetValue<string>(), int.Parse(audio["sample_rate"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
    }

    /// <summary>One server, the sync clip served over loopback, and two assets sliced from it (one never exported).</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private LoopbackFileServer _files = null!;

        internal TempDirectory Scratch { get; } = new();

        internal RunningServer Running { get; private set; } = null!;

        public string Asset { get; private set; } = "";

        public string Untouched { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var sources = Directory.CreateDirectory(Path.Combine(Scratch.Path, "sources")).FullName;
            await Media.RunAsync("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "color=c=black:s=640x360:r=30:d=5,drawbox=enable='gte(t,2)':c=white:t=fill",
                "-f", "lavfi", "-i", "aevalsrc='if(gte(t,2),0.5*sin(2*PI*440*t),0)':s=48000:c=stereo:d=5",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-shortest",
                "-movflags", "+faststart", Path.Combine(sources, "sync.mp4"));
            _files = await LoopbackFileServer.StartAsync(sources);
            Running = await RunningServer.StartAsync("--slicers", "2");
            var jobs = await Task.WhenAll(SliceAsync(), SliceAsync());
            (Asset, Untouched) = (jobs[0], jobs[1]);
        }

        private async Task<string> SliceAsync()
        {
            var id = await Running.Client.CreateAsync(_files.UrlOf("sync.mp4"));
            var (job, _) = await Running.Client.WaitFinishedAsync(id, TimeSpan.FromMinutes(3));
            Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
            return job["asset"]!.GetValue<string>();
        }

        public async Task DisposeAsync()
        {
            await Running.DisposeAsync();
            await _files.DisposeAsync();
            Scratch.Dispose();
        }
    }
}
