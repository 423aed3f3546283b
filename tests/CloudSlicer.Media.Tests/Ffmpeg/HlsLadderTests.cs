using System.Globalization;
using CloudSlicer.Core.Assets;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Testing;

namespace CloudSlicer.Media.Tests.Ffmpeg;

/// <summary>The ladder command run by the real ffmpeg, checked with ffprobe.</summary>
[Collection(MediaCollection.Name)]
public sealed class HlsLadderTests(MediaFixture media) : IDisposable
{
    private static readonly RayRung[] Table = [new(180, 300), new(360, 800)];
    private const double Slice = 4.096;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Makes_every_ray_and_the_audio_rendition_on_the_slice_grid()
    {
        var source = (await MediaFixture.Ffprobe().ProbeAsync(media.Clip, CancellationToken.None)).ToSourceInfo();
        var rays = LadderPlanner.Plan(source, Table);
        var request = new HlsLadderRequest(media.Clip, _dir.Path, rays, source.HasAudio) { Preset = "ultrafast" };
        var progress = new RecordingProgress();

        await MediaFixture.Ffmpeg().RunAsync(FfmpegCommands.HlsLadder(request), source.Duration, progress, CancellationToken.None);

        Assert.Equal(["a", "audio", "b"], Directory.GetDirectories(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var starts = new List<IReadOnlyList<double>>();
        foreach (var ray in rays)
        {
            var durations = SegmentDurations(ray.Name);
            Assert.Equal(3, durations.Count);
            AssertOnSliceGrid(durations, 1 / ray.FrameRate);
            Assert.Equal(9.0, durations.Sum(), precision: 1);
            starts.Add(await SegmentStartsAsync(ray, durations.Count));
        }

        // Aligned: slice n begins with a key frame at the same time in every ray.
        Assert.All(starts, s => Assert.Equal(starts[0], s));

        var audio = SegmentDurations("audio");
        Assert.Equal([Slice, Slice], audio.Take(2));
        Assert.Equal(9.0, audio.Sum(), precision: 1);
        var audioStreams = await StreamsAsync(Concat("audio", 0));
        Assert.Equal(["aac,LC,audio,48000,2"], audioStreams);

        // Our master, read back by ffmpeg's own HLS demuxer: both rays and the audio group, whole length.
        var master = Path.Combine(_dir.Path, "master.m3u8");
        await File.WriteAllTextAsync(master, HlsMaster.Build(rays, source.HasAudio, pathPrefix: ""));
        var streams = await MediaClips.RunAsync("ffprobe",
            ["-v", "error", "-show_entries", "stream=codec_type,width,height", "-of", "csv=p=0", master], CancellationToken.None);
        Assert.Equal(
            ["audio", "video,320,180", "video,640,360"],
            streams.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(9.0, await MediaClips.ProbeDurationAsync(master), precision: 1);

        var values = progress.Values;
        Assert.NotEmpty(values);
        Assert.Equal(1, values[^1]);
        Assert.Equal(values.Order(), values);
    }

    [Fact]
    public async Task Trims_accurately_to_the_requested_range()
    {
        var rays = new[] { new Ray("a", 320, 180, 30, 300) };
        var request = new HlsLadderRequest(media.Clip, _dir.Path, rays, HasAudio: true)
        {
            TrimStart = TimeSpan.FromMilliseconds(2000),
            TrimDuration = TimeSpan.FromMilliseconds(5000),
            Preset = "ultrafast",
        };

        await MediaFixture.Ffmpeg().RunAsync(FfmpegCommands.HlsLadder(request), TimeSpan.FromSeconds(5), null, CancellationToken.None);

        var video = SegmentDurations("a");
        Assert.Equal([4.1, 0.9], video.Select(d => Math.Round(d, 3)));
        Assert.Equal(5.0, SegmentDurations("audio").Sum(), precision: 1);
        Assert.Equal(5.0, await MediaClips.ProbeDurationAsync(Concat("a", 0, 1)), precision: 1);
    }

    [Fact]
    public async Task Video_only_source_makes_no_audio_rendition()
    {
        var clip = await MediaClips.GenerateAsync(
            _dir.File("silent.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(2), Width = 320, Height = 180, WithAudio = false }, CancellationToken.None);
        var rays = new[] { new Ray("a", 320, 180, 30, 300) };
        var output = Path.Combine(_dir.Path, "out");

        await MediaFixture.Ffmpeg().RunAsync(
            FfmpegCommands.HlsLadder(new HlsLadderRequest(clip, output, rays, HasAudio: false) { Preset = "ultrafast" }),
            TimeSpan.FromSeconds(2), null, CancellationToken.None);

        Assert.Equal(["a"], Directory.GetDirectories(output).Select(Path.GetFileName));
        Assert.Equal(["index.m3u8", "init.mp4", "seg_00000.m4s"], Directory.GetFiles(Path.Combine(output, "a")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Writes_a_poster_no_taller_than_asked()
    {
        var poster = _dir.File("poster.jpg");

        await MediaFixture.Ffmpeg().RunAsync(FfmpegCommands.Poster(media.Clip, poster, TimeSpan.FromSeconds(3), 180), TimeSpan.FromSeconds(0.04), null, CancellationToken.None);

        var size = await MediaClips.RunAsync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", poster], CancellationToken.None);
        Assert.Equal("mjpeg,320,180", size.Trim());
    }

    /// <summary>Every slice but the last is 4.096 s give or take one frame (key frames land on whole frames).</summary>
    private static void AssertOnSliceGrid(List<double> durations, double frame)
    {
        foreach (var d in durations.Take(durations.Count - 1))
        {
            Assert.InRange(d, Slice - frame - 0.001, Slice + frame + 0.001);
        }

        Assert.InRange(durations[^1], 0.001, Slice + frame + 0.001);
    }

    /// <summary>Each segment of a ray holds exactly one key frame, its first packet; returns the segments' start times.</summary>
    private async Task<IReadOnlyList<double>> SegmentStartsAsync(Ray ray, int count)
    {
        var starts = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var packets = await MediaClips.ProbePacketsAsync(Concat(ray.Name, i), "v:0");
            Assert.True(packets[0].IsKey, $"ray {ray.Name} segment {i} does not start with a key frame");
            Assert.Single(packets, p => p.IsKey);
            starts.Add(Math.Round(packets.Min(p => p.Time), 3));
        }

        var level = await StreamsAsync(Concat(ray.Name, 0));
        var expected = H264Level.For(ray).ToString(CultureInfo.InvariantCulture);
        Assert.Equal([$"h264,High,video,{ray.Width},{ray.Height},{expected}"], level);
        return starts;
    }

    private List<double> SegmentDurations(string rendition) =>
        File.ReadLines(Path.Combine(_dir.Path, rendition, "index.m3u8"))
            .Where(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal))
            .Select(l => double.Parse(l["#EXTINF:".Length..].TrimEnd(','), CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>init.mp4 followed by the given segments: a file ffprobe can read on its own.</summary>
    private string Concat(string rendition, params int[] segments)
    {
        var dir = Path.Combine(_dir.Path, rendition);
        var path = _dir.File($"{rendition}_{string.Join('_', segments)}.mp4");
        using var output = File.Create(path);
        foreach (var part in segments.Select(i => $"seg_{i:00000}.m4s").Prepend("init.mp4"))
        {
            using var input = File.OpenRead(Path.Combine(dir, part));
            input.CopyTo(output);
        }

        return path;
    }

    private static async Task<IReadOnlyList<string>> StreamsAsync(string path)
    {
        var csv = await MediaClips.RunAsync("ffprobe",
            ["-v", "error", "-show_entries", "stream=codec_type,codec_name,profile,width,height,level,sample_rate,channels", "-of", "csv=p=0", path],
            CancellationToken.None);
        return csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
