using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Probe;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Media.Tests;

public class MediaServiceCollectionExtensionsTests
{
    [Fact]
    public void Binds_the_Media_section_and_registers_the_runners()
    {
        using var provider = Build(new() { ["Media:FfmpegPath"] = "/usr/bin/ffmpeg", ["Media:AudioKbps"] = "96" });

        var options = provider.GetRequiredService<IOptions<MediaOptions>>().Value;

        Assert.Equal(("/usr/bin/ffmpeg", "ffprobe", "veryfast", 96), (options.FfmpegPath, options.FfprobePath, options.X264Preset, options.AudioKbps));
        Assert.Same(provider.GetRequiredService<FfmpegRunner>(), provider.GetRequiredService<FfmpegRunner>());
        Assert.NotNull(provider.GetRequiredService<FfprobeRunner>());
    }

    [Theory]
    [InlineData("Media:X264Preset", "quick", "Media:X264Preset must be one of")]
    [InlineData("Media:AudioKbps", "8", "AudioKbps")]
    [InlineData("Media:StallTimeout", "00:00:00", "Media:ProbeTimeout and Media:StallTimeout must be positive")]
    public void Refuses_invalid_settings_naming_the_key(string key, string value, string message)
    {
        using var provider = Build(new() { [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MediaOptions>>().Value);

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void The_slice_is_4096_ms_exactly()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(4096), Slices.SliceDuration);
        Assert.Equal(192 * 1024, Slices.SamplesPerSlice);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddMedia(configuration).BuildServiceProvider();
    }
}
