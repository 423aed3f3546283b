using System.Net;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// /jobs/add_track_audio on the real server: a track joins the master's audio group with its NAME and LANGUAGE,
/// lasts exactly as long as the asset at 48 kHz on the asset's slice grid, and the new version stores only the
/// track (the rays stay where version 1 put them); a failed or cancelled job leaves the asset as it was.
/// </summary>
public sealed class AudioTrackTests(AudioTrackSources sources) : IClassFixture<AudioTrackSources>, IAsyncLifetime
{
    private const double AacFrame = 1024.0 / 48_000;

    private RunningServer _running = null!;

    public async Task InitializeAsync() => _running = await RunningServer.StartAsync("--slicers", "2");

    public async Task DisposeAsync() => await _running.DisposeAsync();

    [Fact]
    public async Task A_spanish_track_joins_the_audio_group_lasts_the_asset_at_48_kHz_and_the_rays_stay_in_version_1()
    {
        var (asset, duration) = await SliceAsync(new { });
        var raySlice = await GetBytesAsync($"/{asset}/a/seg_00001.m4s");
        var ownAudio = await GetTextAsync($"/{asset}/audio/index.m3u8");

        var job = await AddTrackAsync(new { asset, url = sources.Url("spanish.m4a"), desc = "Spanish", lang = "es" });
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        Assert.Equal(asset, job["asset"]!.GetValue<string>());

        var master = await GetTextAsync($"/{asset}.m3u8");
        Assert.Contains($"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",LANGUAGE=\"es\",NAME=\"Spanish\",DEFAULT=NO,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"{asset}/audio1/index.m3u8\"", master, StringComparison.Ordinal);
        Assert.Contains($"GROUP-ID=\"audio\",LANGUAGE=\"en\",NAME=\"English\",DEFAULT=YES", master, StringComparison.Ordinal);

        // What a player gets: the asset's length (the 6 s track padded), resampled from 44.1 kHz, stereo.
        var trackUrl = $"{_running.Server.Url}/{asset}/audio1/index.m3u8";
        Assert.InRange(await Media.ProbeDurationAsync(trackUrl), duration - AacFrame, duration + AacFrame + 0.0005);
        Assert.Equal(["aac,48000,2"], await ProbeAudioAsync(trackUrl));
        // On the asset's own grid: the slices named and timed as the asset's own audio (whose source may run a
        // frame longer than the asset's duration).
        var track = await GetTextAsync($"/{asset}/audio1/index.m3u8");
        var (own, alternate) = (HlsPlaylists.SegmentDurations(ownAudio), HlsPlaylists.SegmentDurations(track));
        Assert.Equal(HlsPlaylists.Uris(ownAudio), HlsPlaylists.Uris(track));
        Assert.Equal(own.SkipLast(1), alternate.SkipLast(1));
        Assert.InRange(alternate[^1], own[^1] - AacFrame - 0.0005, own[^1] + AacFrame + 0.0005);

        // The rays were not copied: version 2 stores only the track, and the slices served are version 1's bytes.
        Assert.Equal(raySlice, await GetBytesAsync($"/{asset}/a/seg_00001.m4s"));
        var blobs = Path.Combine(_running.DataPath, "blobs", "assets", asset);
        Assert.True(File.Exists(Path.Combine(blobs, "v1", "a", "seg_00001.m4s")));
        Assert.Equal(["asset.json", "audio1", "master.m3u8"], Directory.EnumerateFileSystemEntries(Folder(blobs, "v2")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // DASH reads version 2's playlists through the same shared files.
        Assert.InRange(await Media.ProbeDurationAsync($"{_running.Server.Url}/{asset}.mpd"), duration - 0.5, duration + 0.5);

        var record = await GetAssetAsync(asset);
        Assert.Equal(2, record["version"]!.GetValue<int>());
        var listed = record["audio_tracks"]!.AsArray().Select(t => (t!["name"]!.GetValue<string>(), t["lang"]!.GetValue<string>(), t["desc"]!.GetValue<string>(), t["codec"]!.GetValue<string>())).ToList();
        Assert.Equal([("audio", "en", "English", "aac"), ("audio1", "es", "Spanish", "aac")], listed);
        Assert.Equal(trackUrl, record["audio_tracks"]![1]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_second_track_added_by_external_id_is_audio2_named_by_its_language_and_cut_to_the_asset()
    {
        var (asset, duration) = await SliceAsync(new { external_id = "e2e-tracks" });
        Assert.Equal("done", (await AddTrackAsync(new { asset, url = sources.Url("spanish.m4a"), desc = "Spanish", lang = "es" }))["state"]!.GetValue<string>());

        var second = await AddTrackAsync(new { asset = "ext:e2e-tracks", url = sources.Url("french.m4a"), lang = "fr" });
        Assert.True(second["state"]!.GetValue<string>() == "done", second.ToJsonString());
        Assert.Equal(asset, second["asset"]!.GetValue<string>());

        var master = await GetTextAsync($"/{asset}.m3u8");
        Assert.Contains($"LANGUAGE=\"es\",NAME=\"Spanish\",DEFAULT=NO,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"{asset}/audio1/index.m3u8\"", master, StringComparison.Ordinal);
        Assert.Contains($"LANGUAGE=\"fr\",NAME=\"fr\",DEFAULT=NO,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"{asset}/audio2/index.m3u8\"", master, StringComparison.Ordinal);
        // The 15 s track is cut to the asset's 10 s.
        Assert.InRange(await Media.ProbeDurationAsync($"{_running.Server.Url}/{asset}/audio2/index.m3u8"), duration - AacFrame, duration + AacFrame + 0.0005);
        // Version 3 kept the first track where version 2 stored it.
        var blobs = Path.Combine(_running.DataPath, "blobs", "assets", asset);
        Assert.True(Directory.Exists(Path.Combine(Folder(blobs, "v2"), "audio1")));
        Assert.False(Directory.Exists(Path.Combine(Folder(blobs, "v3"), "audio1")));
        Assert.Equal(3, (await GetAssetAsync(asset))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_dolby_track_adds_an_eac3_rendition_in_a_group_of_its_own()
    {
        var (asset, duration) = await SliceAsync(new { });

        var job = await AddTrackAsync(new { asset, url = sources.Url("surround.m4a"), desc = "Surround", lang = "en", dolby = 1 });
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());

        var master = await GetTextAsync($"/{asset}.m3u8");
        Assert.Contains($"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio-ec3\",LANGUAGE=\"en\",NAME=\"Surround\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"6\",URI=\"{asset}/ec3_1/index.m3u8\"", master, StringComparison.Ordinal);
        Assert.Contains($"URI=\"{asset}/audio1/index.m3u8\"", master, StringComparison.Ordinal);
        Assert.Contains("AUDIO=\"audio-ec3\"", master, StringComparison.Ordinal);
        var dolbyUrl = $"{_running.Server.Url}/{asset}/ec3_1/index.m3u8";
        Assert.Equal(["eac3,48000,6"], await ProbeAudioAsync(dolbyUrl));
        // E-AC-3 frames are 1536 samples: the last one may run past the asset's end by less than a frame.
        Assert.InRange(await Media.ProbeDurationAsync(dolbyUrl), duration - 0.001, duration + (1536.0 / 48_000));
    }

    [Fact]
    public async Task A_dolby_track_and_31_more_make_32_alternates_and_the_33rd_is_refused_clearly()
    {
        var (asset, _) = await SliceAsync(new { trim = "0,2000" });
        Assert.Equal("done", (await AddTrackAsync(new { asset, url = sources.Url("spanish.m4a"), lang = "es", dolby = 1 }))["state"]!.GetValue<string>());

        // The dolby track's E-AC-3 rendition belongs to it: one track, so 31 more still fit.
        var many = Enumerable.Range(0, 31).Select(i => new { url = sources.Url("french.m4a"), lang = "fr", desc = $"French {i}" }).ToArray();
        var job = await AddTrackAsync(new { asset, source = many });
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        var master = await GetTextAsync($"/{asset}.m3u8");
        Assert.Contains($"NAME=\"French 30\",DEFAULT=NO,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"{asset}/audio32/index.m3u8\"", master, StringComparison.Ordinal);

        var refused = await _running.Client.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new { asset, url = sources.Url("french.m4a"), lang = "fr" });
        Assert.Equal(1, refused["error"]!.GetValue<int>());
        Assert.Equal("The asset has 32 alternate audio tracks; adding 1 would pass the limit of 32", refused["msg"]!.GetValue<string>());
    }

    // Failed before each attempt stored its version in a folder of its own (v2-{attempt}/): both jobs uploaded into
    // v2/, and the loser's clean-up deleted the winner's published files.
    [Fact]
    public async Task Two_track_jobs_racing_on_one_asset_both_land_and_every_file_the_master_lists_is_served()
    {
        var (asset, _) = await SliceAsync(new { });

        // Both slicers plan on version 1; the one that switches second must retry on version 2, not break it.
        var ids = new List<string>();
        foreach (var lang in new[] { "es", "fr" })
        {
            var response = await _running.Client.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new { asset, url = sources.Url("spanish.m4a"), lang });
            ids.Add(response["job"]!["id"]!.GetValue<string>());
        }

        foreach (var id in ids)
        {
            var (job, _) = await _running.Client.WaitFinishedAsync(id, TimeSpan.FromMinutes(2));
            Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        }

        var master = await GetTextAsync($"/{asset}.m3u8");
        Assert.Contains($"URI=\"{asset}/audio1/index.m3u8\"", master, StringComparison.Ordinal);
        Assert.Contains($"URI=\"{asset}/audio2/index.m3u8\"", master, StringComparison.Ordinal);
        foreach (var playlist in HlsPlaylists.Uris(master))
        {
            var text = await GetTextAsync("/" + playlist);
            var dir = playlist[..(playlist.LastIndexOf('/') + 1)];
            foreach (var file in HlsPlaylists.Uris(text))
            {
                Assert.NotEmpty(await GetBytesAsync("/" + dir + file));
            }
        }
    }

    [Fact]
    public async Task A_track_url_that_404s_fails_the_job_with_a_clear_last_error_and_the_asset_plays_as_before()
    {
        var (asset, duration) = await SliceAsync(new { });
        var master = await GetTextAsync($"/{asset}.m3u8");

        var job = await AddTrackAsync(new { asset, url = sources.Url("no-such-track.m4a"), desc = "Spanish", lang = "es" });

        Assert.Equal(("error", 1), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        var error = job["last_error"]!.GetValue<string>();
        Assert.Contains("The audio track could not be fetched", error, StringComparison.Ordinal);
        Assert.Contains("HTTP 404", error, StringComparison.Ordinal);
        await AssertUnchangedAsync(asset, master, duration);
    }

    [Fact]
    public async Task A_track_without_audio_fails_for_good_saying_so()
    {
        var (asset, duration) = await SliceAsync(new { });
        var master = await GetTextAsync($"/{asset}.m3u8");

        var job = await AddTrackAsync(new { asset, url = sources.Url("silent.mp4"), lang = "es" });

        Assert.Equal(("error", 1), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        Assert.Contains("has no audio stream", job["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertUnchangedAsync(asset, master, duration);
    }

    [Fact]
    public async Task A_track_job_cancelled_while_downloading_leaves_the_asset_as_it_was()
    {
        var (asset, duration) = await SliceAsync(new { });
        var master = await GetTextAsync($"/{asset}.m3u8");

        var response = await _running.Client.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new { asset, url = sources.HeldUrl, lang = "es" });
        var id = response["job"]!["id"]!.GetValue<string>();
        await Eventually.UntilAsync(
            () => _running.Client.GetJobAsync(id),
            j => j["progress"]!.GetValue<string>().StartsWith("Downloading", StringComparison.Ordinal),
            TimeSpan.FromMinutes(1),
            "the track job to be downloading");
        var cancelled = await _running.Client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id });
        Assert.Equal("cancelled", cancelled["job"]!["state"]!.GetValue<string>());

        await Eventually.UntilAsync(
            () => Task.FromResult(WorkFiles.Count(_running.DataPath)),
            n => n == 0, TimeSpan.FromSeconds(20), "the work directory to be removed");
        await AssertUnchangedAsync(asset, master, duration);
    }

    [Fact]
    public async Task A_track_for_an_asset_deleted_after_the_job_was_queued_fails_for_good_naming_the_asset()
    {
        var (asset, _) = await SliceAsync(new { });
        // Both slicers are kept busy by downloads that never finish, so the track job waits while the asset is deleted.
        var held = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var response = await _running.Client.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new { asset, url = sources.HeldUrl, lang = "es" });
            held.Add(response["job"]!["id"]!.GetValue<string>());
        }

        foreach (var id in held)
        {
            await Eventually.UntilAsync(() => _running.Client.GetJobAsync(id), j => j["state"]!.GetValue<string>() == "assigned", TimeSpan.FromMinutes(1), "the held jobs to start");
        }

        var queued = await _running.Client.CallAsync("/api2/cloudslicer/jobs/add_track_audio", new { asset, url = sources.Url("spanish.m4a"), lang = "es" });
        var deleted = await _running.Client.CallAsync("/api2/asset/delete", new { ids = new[] { asset } });
        Assert.Equal($"""[["{asset}","deleted"]]""", deleted["actions"]!.ToJsonString());
        foreach (var id in held)
        {
            await _running.Client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id });
        }

        var (job, _) = await _running.Client.WaitFinishedAsync(queued["job"]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(1));
        Assert.Equal(("error", 1), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        Assert.Contains($"Asset {asset} no longer exists", job["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>The one folder of a version (<c>v2-{attempt}</c>: each attempt stores its version in a folder of its own).</summary>
    private static string Folder(string blobs, string version) =>
        Assert.Single(Directory.EnumerateDirectories(blobs, version + "-*"));

    private async Task AssertUnchangedAsync(string asset, string master, double duration)
    {
        Assert.Equal(master, await GetTextAsync($"/{asset}.m3u8"));
        var record = await GetAssetAsync(asset);
        Assert.Equal(1, record["version"]!.GetValue<int>());
        Assert.Single(record["audio_tracks"]!.AsArray());
        Assert.InRange(await Media.ProbeDurationAsync($"{_running.Server.Url}/{asset}.m3u8"), duration - 0.5, duration + 0.5);
        Assert.Equal(["v1"], Directory.EnumerateDirectories(Path.Combine(_running.DataPath, "blobs", "assets", asset)).Select(Path.GetFileName));
    }

    /// <summary>codec,sample rate,channels of each distinct stream ffprobe finds behind the URL.</summary>
    private static async Task<IReadOnlyList<string>> ProbeAudioAsync(string url) =>
        (await Media.RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "csv=p=0", url))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.TrimEnd(','))
            .Distinct()
            .ToList();

    private async Task<(string Asset, double Duration)> SliceAsync(object args)
    {
        var id = await _running.Client.CreateAsync(sources.Url("clip.mp4"), args);
        var (job, _) = await _running.Client.WaitFinishedAsync(id, TimeSpan.FromMinutes(2));
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        var asset = job["asset"]!.GetValue<string>();
        return (asset, (await GetAssetAsync(asset))["duration"]!.GetValue<double>());
    }

    private async Task<JsonObject> AddTrackAsync(object parameters)
    {
        var response = await _running.Client.CallAsync("/api2/cloudslicer/jobs/add_track_audio", parameters);
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        var (job, _) = await _running.Client.WaitFinishedAsync(response["job"]!["id"]!.GetValue<string>(), TimeSpan.FromMinutes(2));
        return job;
    }

    private async Task<JsonObject> GetAssetAsync(string id)
    {
        var response = await _running.Client.CallAsync("/api2/asset/get", new { id });
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response["asset"]!.AsObject();
    }

    private async Task<string> GetTextAsync(string path)
    {
        using var response = await _running.Http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<byte[]> GetBytesAsync(string path)
    {
        using var response = await _running.Http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }
}
