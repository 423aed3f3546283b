using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudSlicer.Hosting;

/// <summary>
/// A process of slicers only: no web host, no API, no content serving; it claims jobs from the configured
/// job store and publishes to the configured blob store. What <c>cloudslicer slicer</c> runs on other machines.
/// </summary>
public static class SlicerApp
{
    /// <param name="overrides">Configuration from command-line flags; wins over appsettings.json and CLOUDSLICER_* variables.</param>
    public static IHost Build(IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddSlicingProcess(overrides);
        builder.Services.AddSingleton<SlicerReadiness>();   // for /healthz and the ready file
        return builder.Build();
    }
}
