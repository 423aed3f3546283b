using System.Globalization;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>One real server with one sliced 14.5 s asset (slices at 0, 4.1, 8.2, 12.3 s) that every clip is cut from.</summary>
public sealed class QuickClipFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly string _sources = Path.Combine(Path.GetTempPath(), $"cloudslicer-clipsrc-{Guid.NewGuid():N}");
    private LoopbackFileServer _files = null!;

    public CloudSlicerProcess Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public Api2Client Client { get; private set; } = null!;

    public string Source { get; private set; } = "";

    public string DataPath => _data.Path;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_sources);
        await MediaClips.GenerateAsync(Path.Combine(_sources, "source.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(14.5), Width = 480, Height = 270, FrameRate = 30 });
        _files = await LoopbackFileServer.StartAsync(_sources);
        // veryfast as in production: B-frames, so the edges' composition offsets are placed on the timeline too.
        Server = await ServerProcess.StartAsync(_data.Path, new Dictionary<string, string> { ["CLOUDSLICER_Media__X264Preset"] = "veryfast" });
        Http = new HttpClient { BaseAddress = new Uri(Server.Url) };
        Client = new Api2Client(Http, Server.Owner!, Server.Secret!);
        var id = await Client.CreateAsync(_files.UrlOf("source.mp4"), new { description = "Source of clips" });
        var (job, _) = await Client.WaitFinishedAsync(id, TimeSpan.FromMinutes(2));
        Assert.Equal("done", job["state"]!.GetValue<string>());
        Source = job["asset"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await _files.DisposeAsync();
        Directory.Delete(_sources, recursive: true);
        _data.Dispose();
    }
}

/// <summary>Issue 7 item 1: <c>/jobs/quickclip</c> end to end, on a real server with real media.</summary>
public sealed class QuickClipTests(QuickClipFixture fixture) : IClassFixture<QuickClipFixture>
{
    private const double Frame = 1 / 30.0;
    private const double AacFrame = 1024 / 48000.0;

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_quick_clip_is_a_new_asset_of_the_asked_length_whose_inner_slices_are_the_sources_bytes()
    {
        // [3, 9.5): slice 0 and slice 2 are cut, slice 1 (4.1-8.2 s) is reused.
        var clip = await ClipAsync(3000, 6500, posterTs: "00:00:05.000");

        var got = await fixture.Client.CallAsync("/api2/asset/get", new { id = clip });
        Assert.Equal(0, got["error"]!.GetValue<int>());
        Assert.Equal(6.5, got["asset"]!["duration"]!.GetValue<double>(), 3);
        Assert.Equal("Source of clips", got["asset"]!["desc"]!.GetValue<string>());
        using (var poster = await fixture.Http.GetAsync(new Uri(got["asset"]!["poster_url"]!.GetValue<string>())))
        {
            Assert.Equal("image/jpeg", poster.Content.Headers.ContentType?.MediaType);
        }

        Assert.InRange(await Media.ProbeDurationAsync($"{fixture.Server.Url}/{clip}.m3u8"), 6.5 - Frame, 6.5 + Frame);
        foreach (var file in new[] { "a/seg_00001.m4s", "audio/seg_00001.m4s", "a/init.mp4", "audio/init.mp4" })
        {
            Assert.Equal(await BytesAsync($"{fixture.Source}/{file}"), await BytesAsync($"{clip}/{file}"));
        }

        Assert.NotEqual((await BytesAsync($"{fixture.Source}/a/seg_00000.m4s")).Length, (await BytesAsync($"{clip}/a/seg_00000.m4s")).Length);
        await AssertInSyncAsync(clip, 3.0, 9.5);
    }

    [Theory]
    [InlineData(1000, 2000)]    // shorter than a slice, across no join
    [InlineData(0, 5000)]       // from the start: slice 0 reused whole
    [InlineData(9000, 5500)]    // to the end: the last slice reused whole
    [InlineData(5000, 1500)]    // inside one slice: both cuts in it
    [InlineData(2000, 4000)]    // two edges and nothing between
    public async Task Clips_at_the_edges_of_the_asset_and_inside_one_slice_have_the_asked_length_in_sync(long offset, long duration)
    {
        var clip = await ClipAsync(offset, duration, posterTs: null);
        var seconds = duration / 1000.0;
        Assert.InRange(await Media.ProbeDurationAsync($"{fixture.Server.Url}/{clip}.m3u8"), seconds - Frame, seconds + Frame);
        await AssertInSyncAsync(clip, offset / 1000.0, (offset + duration) / 1000.0);
    }

    [Fact]
    public async Task A_quick_clip_of_another_owners_asset_is_not_found()
    {
        var added = await Cli.RunAsync(null, "owner", "add", "--data", fixture.DataPath);
        var other = JsonNode.Parse(added.Stdout)!;
        var client = new Api2Client(fixture.Http, other["owner"]!.GetValue<string>(), other["secret"]!.GetValue<string>());

        var answer = await client.CallAsync("/api2/cloudslicer/jobs/quickclip", new { source = new { trim = new[] { 1000, 2000 } }, args = new { beam_id = fixture.Source } });

        Assert.Equal(1, answer["error"]!.GetValue<int>());
        Assert.StartsWith("Not found", answer["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_quick_clip_leaves_no_asset_and_the_source_untouched()
    {
        var before = await BytesAsync($"{fixture.Source}/a/index.m3u8");
        var id = await CreateClipJobAsync(0, 14000, posterTs: null);
        var cancelled = await fixture.Client.CallAsync("/api2/cloudslicer/jobs/cancel", new { id });
        Assert.Equal("cancelled", cancelled["job"]!["state"]!.GetValue<string>());

        await Eventually.UntilAsync(
            () => Task.FromResult(WorkFiles.Count(fixture.DataPath)),
            n => n == 0, TimeSpan.FromSeconds(30), "the clip's work directory to be removed");
        var job = await fixture.Client.GetJobAsync(id);
        Assert.Equal("cancelled", job["state"]!.GetValue<string>());
        Assert.Null(job["asset"]);

        // Only assets that clips of other tests published may exist beside the source: none made by this job.
        var published = await fixture.Client.CallAsync("/api2/asset/list", new { });
        var ids = published["assets"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).ToHashSet();
        var onDisk = Directory.GetDirectories(Path.Combine(fixture.DataPath, "blobs", "assets")).Select(Path.GetFileName).ToList();
        Assert.All(onDisk, dir => Assert.Contains(dir!, ids));
        Assert.Equal(before, await BytesAsync($"{fixture.Source}/a/index.m3u8"));
        Assert.InRange(await Media.ProbeDurationAsync($"{fixture.Server.Url}/{fixture.Source}.m3u8"), 14.5 - Frame, 14.5 + Frame);
    }

    private async Task<string> ClipAsync(long offset, long duration, string? posterTs)
    {
        var id = await CreateClipJobAsync(offset, duration, posterTs);
        var (job, _) = await fixture.Client.WaitFinishedAsync(id, Deadline);
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        var clip = job["asset"]!.GetValue<string>();
        Assert.NotEqual(fixture.Source, clip);
        return clip;
    }

    private async Task<string> CreateClipJobAsync(long offset, long duration, string? posterTs)
    {
        object args = posterTs is null ? new { beam_id = fixture.Source } : new { beam_id = fixture.Source, poster_ts = posterTs };
        var response = await fixture.Client.CallAsync("/api2/cloudslicer/jobs/quickclip", new { source = new { trim = new[] { offset, duration } }, args });
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response["job"]!["id"]!.GetValue<string>();
    }

    private async Task<byte[]> BytesAsync(string path) => await fixture.Http.GetByteArrayAsync(new Uri($"{fixture.Server.Url}/{path}"));

    /// <summary>
    /// Audio and video of the clip as ffprobe reads them over HTTP: each runs without a gap or an overlap across the
    /// joins of reused and re-cut slices, and both start and end where the clip does (video within a frame, audio
    /// within half an AAC frame), on the same timeline.
    /// </summary>
    private async Task AssertInSyncAsync(string clip, double start, double end)
    {
        end = Math.Min(end, 14.5);
        var video = await PacketTimesAsync($"{fixture.Server.Url}/{clip}/a/index.m3u8");
        var audio = await PacketTimesAsync($"{fixture.Server.Url}/{clip}/audio/index.m3u8");
        AssertContinuous(video, Frame, "video");
        AssertContinuous(audio, AacFrame, "audio");

        var firstVideo = video.Min(p => p.Pts);
        var firstAudio = audio.Min(p => p.Pts);
        var lastVideo = video.Max(p => p.Pts + p.Duration);
        var lastAudio = audio.Max(p => p.Pts + p.Duration);
        Assert.InRange(firstVideo, start - 0.001, start + Frame);
        Assert.InRange(firstAudio, start == 0 ? -AacFrame - 0.001 : start - (AacFrame / 2) - 0.001, start + (AacFrame / 2) + 0.001);
        Assert.InRange(lastVideo, end - Frame - 0.001, end + Frame);
        Assert.InRange(lastAudio, end - (AacFrame / 2) - 0.001, end + AacFrame + 0.001);
    }

    private static void AssertContinuous(IReadOnlyList<(double Pts, double Duration)> packets, double step, string what)
    {
        var times = packets.Select(p => p.Pts).Order().ToList();
        for (var i = 1; i < times.Count; i++)
        {
            Assert.True(Math.Abs(times[i] - times[i - 1] - step) < 0.002, $"{what} jumps from {times[i - 1]:0.#####} to {times[i]:0.#####} s");
        }
    }

    private static async Task<IReadOnlyList<(double Pts, double Duration)>> PacketTimesAsync(string url)
    {
        var json = await Media.RunAsync("ffprobe", "-v", "error", "-show_entries", "packet=pts_time,duration_time", "-of", "json", url);
        return JsonNode.Parse(json)!["packets"]!.AsArray()
            .Select(p => (double.Parse(p!["pts_time"]!.GetValue<string>(), CultureInfo.InvariantCulture), double.Parse(p["duration_time"]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture)))
            .ToList();
    }
}
