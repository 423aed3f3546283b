using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Probe;
using CloudSlicer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudSlicer.Media.Tests;

/// <summary>
/// Tests that run the real ffmpeg share one collection, so they run one after another (x264 already
/// uses both cores) and share the generated source clip.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MediaCollection : ICollectionFixture<MediaFixture>
{
    public const string Name = "real ffmpeg";
}

public sealed class MediaFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    /// <summary>9 s, 640x360, 30 fps, AAC 48 kHz: three slices, the last one short.</summary>
    public string Clip { get; private set; } = "";

    public static FfmpegRunner Ffmpeg(MediaOptions? options = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? new MediaOptions()), NullLogger<FfmpegRunner>.Instance);

    public static FfprobeRunner Ffprobe() =>
        new(Microsoft.Extensions.Options.Options.Create(new MediaOptions()), NullLogger<FfprobeRunner>.Instance);

    public async Task InitializeAsync()
    {
        Clip = await MediaClips.GenerateAsync(_dir.File("clip.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(9) }, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
