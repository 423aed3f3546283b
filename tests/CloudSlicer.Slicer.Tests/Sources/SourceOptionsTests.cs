using CloudSlicer.Slicer.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Tests.Sources;

public class SourceOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = new SourceOptions();

        Assert.False(options.AllowPrivateSources);
        Assert.Equal(90_000_000_000, options.MaxBytes);
        Assert.Equal(TimeSpan.FromSeconds(15), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.IdleTimeout);
        Assert.Equal(5, options.MaxRedirects);
        Assert.Empty(options.AllowedHosts);
        Assert.Equal(65_536, options.MinBytesPerSecond);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RateWindow);
        Assert.Equal(TimeSpan.FromSeconds(10), options.SidecarTimeout);
    }

    [Fact]
    public void AddSources_binds_the_sources_section_and_registers_one_fetcher()
    {
        using var services = Build(new()
        {
            ["Sources:AllowPrivateSources"] = "true",
            ["Sources:MaxBytes"] = "1000",
            ["Sources:IdleTimeout"] = "00:00:05",
            ["Sources:AllowedHosts:0"] = "10.0.0.0/8",
            ["Sources:AllowedHosts:1"] = "nas.lan",
            ["Sources:MinBytesPerSecond"] = "1000",
            ["Sources:RateWindow"] = "00:00:30",
            ["Sources:SidecarTimeout"] = "00:00:03",
        });

        var options = services.GetRequiredService<IOptions<SourceOptions>>().Value;
        Assert.True(options.AllowPrivateSources);
        Assert.Equal(1000, options.MaxBytes);
        Assert.Equal(TimeSpan.FromSeconds(5), options.IdleTimeout);
        Assert.Equal(["10.0.0.0/8", "nas.lan"], options.AllowedHosts);
        Assert.Equal(1000, options.MinBytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RateWindow);
        Assert.Equal(TimeSpan.FromSeconds(3), options.SidecarTimeout);
        Assert.Same(services.GetRequiredService<SourceFetcher>(), services.GetRequiredService<SourceFetcher>());
    }

    [Theory]
    [InlineData("Sources:MaxBytes", "0", "Sources:MaxBytes")]
    [InlineData("Sources:IdleTimeout", "00:00:00", "Sources:IdleTimeout")]
    [InlineData("Sources:ConnectTimeout", "-00:00:01", "Sources:ConnectTimeout")]
    [InlineData("Sources:MaxRedirects", "-1", "Sources:MaxRedirects")]
    [InlineData("Sources:AllowedHosts:0", "10.0.0.0/33", "'10.0.0.0/33'")]
    [InlineData("Sources:MinBytesPerSecond", "0", "Sources:MinBytesPerSecond")]
    [InlineData("Sources:RateWindow", "00:00:00", "Sources:RateWindow")]
    [InlineData("Sources:RateWindow", "2.00:00:00", "Sources:RateWindow")]
    [InlineData("Sources:SidecarTimeout", "00:00:00", "Sources:SidecarTimeout")]
    [InlineData("Sources:SidecarTimeout", "2.00:00:00", "Sources:SidecarTimeout")]
    public void Bad_configuration_names_the_key(string key, string value, string named)
    {
        using var services = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SourceOptions>>().Value);

        Assert.Contains(named, error.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSources(configuration).BuildServiceProvider();
    }
}
