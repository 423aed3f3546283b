using CloudSlicer.Core.Assets;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Hls;
using CloudSlicer.Testing;

namespace CloudSlicer.Media.Tests.Ffmpeg;

/// <summary>
/// A ladder part (docs/parts.md) by the real ffmpeg: parts encoded apart and read back one after the other are the
/// whole encode, frame for frame (same times, same key frames, same slice numbers); the audio is encoded alone.
/// </summary>
[Collection(MediaCollection.Name)]
public sealed class HlsLadderPartTests(MediaFixture media) : IDisposable
{
    private static readonly Ray[] Rays = [new("a", 320, 180, 30, 300), new("b", 480, 270, 25, 500)];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_part_is_timed_and_numbered_where_it_sits_on_each_rays_frame_grid_and_has_no_audio()
    {
        var args = FfmpegCommands.HlsLadder(new HlsLadderRequest("/in/source", "/out", Rays, HasAudio: true) { Part = new LadderPart(2, 4) });

        // Slice 2 starts at 8.192 s: the first frame there is 8.2 s at 30 fps and 8.2 s at 25 fps (8.192 rounds up).
        Assert.Equal(["8.2", "8.2"], Values(args, "-output_ts_offset"));
        Assert.Equal(["2", "2"], Values(args, "-start_number"));
        // Up to slice 4 (16.384 s), whose first frames are 16.4 s (30 fps) and 16.4 s (25 fps).
        Assert.Equal(["246", "205"], Values(args, "-frames:v"));
        Assert.Equal(["expr:gte(t+0.008,n_forced*4.096)", "expr:gte(t+0.008,n_forced*4.096)"], Values(args, "-force_key_frames"));
        Assert.DoesNotContain("0:a:0", args);
        Assert.DoesNotContain("-c:a", args);
    }

    [Fact]
    public void The_audio_alone_maps_no_video()
    {
        var args = FfmpegCommands.HlsLadder(new HlsLadderRequest("/in/source", "/out", [], HasAudio: true) { AudioOnly = true });

        Assert.Contains("0:a:0", args);
        Assert.DoesNotContain("-c:v", args);
        Assert.DoesNotContain("-filter_complex", args);
    }

    [Fact]
    public async Task Parts_read_back_in_order_are_the_whole_encode_frame_for_frame()
    {
        var whole = Path.Combine(_dir.Path, "whole");
        await RunAsync(new HlsLadderRequest(media.Clip, whole, Rays, HasAudio: false) { Preset = "ultrafast" }, TimeSpan.FromSeconds(9));
        var parted = Path.Combine(_dir.Path, "parts");
        foreach (var (first, length) in new[] { (0, 4.096), (1, 4.096), (2, 9 - 8.192) })
        {
            await RunAsync(new HlsLadderRequest(media.Clip, Path.Combine(parted, $"{first}"), Rays, HasAudio: true)
            {
                Preset = "ultrafast",
                TrimStart = Slices.SliceDuration * first,
                TrimDuration = TimeSpan.FromSeconds(length),
                Part = new LadderPart(first, first < 2 ? first + 1 : null),
            }, TimeSpan.FromSeconds(length));
        }

        foreach (var ray in Rays)
        {
            var expected = await MediaClips.ProbePacketsAsync(Join(Path.Combine(whole, ray.Name), "whole-" + ray.Name), "v:0");
            var slices = new[] { 0, 1, 2 }.SelectMany(p => Directory.GetFiles(Path.Combine(parted, $"{p}", ray.Name), "seg_*.m4s")).ToList();
            Assert.Equal(["seg_00000.m4s", "seg_00001.m4s", "seg_00002.m4s"], slices.Select(Path.GetFileName));
            var joined = await MediaClips.ProbePacketsAsync(Join(Path.Combine(parted, "0", ray.Name), "parts-" + ray.Name, slices), "v:0");

            Assert.Equal(expected.Select(p => (Math.Round(p.Time, 3), p.IsKey)).Order(), joined.Select(p => (Math.Round(p.Time, 3), p.IsKey)).Order());
            Assert.False(Directory.Exists(Path.Combine(parted, "1", FfmpegCommands.AudioRendition)));
        }
    }

    private static async Task RunAsync(HlsLadderRequest request, TimeSpan duration) =>
        await MediaFixture.Ffmpeg().RunAsync(FfmpegCommands.HlsLadder(request), duration, null, CancellationToken.None);

    private string Join(string rayDirectory, string name, IReadOnlyList<string>? slices = null)
    {
        var path = Path.Combine(_dir.Path, name + ".mp4");
        using var output = File.Create(path);
        foreach (var file in (slices ?? Directory.GetFiles(rayDirectory, "seg_*.m4s").Order(StringComparer.Ordinal).ToList()).Prepend(Path.Combine(rayDirectory, HlsOutput.InitName)))
        {
            using var input = File.OpenRead(file);
            input.CopyTo(output);
        }

        return path;
    }

    private static List<string> Values(IReadOnlyList<string> args, string option) =>
        [.. args.Select((a, i) => (a, i)).Where(x => x.a == option).Select(x => args[x.i + 1])];
}
