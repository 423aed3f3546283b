using System.Globalization;
using CloudSlicer.Core.Assets;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Testing;

namespace CloudSlicer.Media.Tests.Ffmpeg;

/// <summary>
/// Audio and video of an asset start at the same time, read by ffprobe from the renditions' playlists as a
/// player reads them. The production preset, since "ultrafast" makes no B-frames, and B-frames are what pushed
/// the video's first frame two frames late.
/// </summary>
[Collection(MediaCollection.Name)]
public sealed class AvStartTests(MediaFixture media) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(2000)]
    public async Task Video_starts_at_zero_and_audio_only_by_its_encoder_delay(int trimStartMs)
    {
        var rays = new[] { new Ray("a", 320, 180, 30, 300) };
        var request = new HlsLadderRequest(media.Clip, _dir.Path, rays, HasAudio: true)
        {
            Preset = MediaOptions.DefaultX264Preset,
            TrimStart = trimStartMs > 0 ? TimeSpan.FromMilliseconds(trimStartMs) : null,
        };

        await MediaFixture.Ffmpeg().RunAsync(FfmpegCommands.HlsLadder(request), TimeSpan.FromSeconds(9), null, CancellationToken.None);

        Assert.Equal(0, await StartTimeAsync("a"), precision: 6);
        // The AAC encoder's 1024 priming samples come first; the edit list tells players to drop them, so the first
        // sample heard is at 0 too.
        Assert.Equal(-1024.0 / Slices.AudioSampleRate, await StartTimeAsync("audio"), precision: 6);
    }

    private async Task<double> StartTimeAsync(string rendition)
    {
        var text = await MediaClips.RunAsync("ffprobe",
            ["-v", "error", "-select_streams", "0", "-show_entries", "stream=start_time", "-of", "csv=p=0",
             Path.Combine(_dir.Path, rendition, "index.m3u8")],
            CancellationToken.None);
        return double.Parse(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim(), CultureInfo.InvariantCulture);
    }
}
