using System.Net;
using CloudSlicer.Hosting;
using CloudSlicer.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// The orchestrator's view of a slicer process (<c>--health-urls</c>): 503 until its slicers are registered in the
/// job store, 200 while they run, 503 again from the moment it starts to stop, for the whole stop.
/// </summary>
public sealed class SlicerHealthTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Healthz_is_200_only_between_the_slicers_registering_and_the_process_starting_to_stop()
    {
        using var data = new TempDirectory();
        using var host = SlicerApp.Build(new Dictionary<string, string?>
        {
            ["Data"] = data.Path,
            ["Slicer:Count"] = "2",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var readiness = host.Services.GetRequiredService<SlicerReadiness>();
        await using var health = await HealthPort.StartAsync("http://127.0.0.1:0", readiness.IsReadyAsync, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(health.Urls[0]) };

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(http));   // no slicer registered yet

        await host.StartAsync();
        await Eventually.UntilAsync(() => StatusAsync(http), s => s == HttpStatusCode.OK, Deadline, "the slicers to register");

        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(http));
        await host.StopAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(http));   // still answering until the port itself stops
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/healthz");
        return response.StatusCode;
    }
}
