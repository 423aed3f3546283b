using CloudSlicer.Hosting;
using CloudSlicer.Slicer;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudSlicer.Api.Tests.Hosting;

/// <summary>
/// The slicer-only composition (what <c>cloudslicer slicer</c> runs): a plain host with the stores and the
/// slicers, no web host. Here it shares a data directory with an API-only serve app, as a slicer on another
/// machine shares the job store with the API nodes.
/// </summary>
public sealed class SlicerAppTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_slicer_only_host_without_a_web_host_claims_a_job_the_api_created()
    {
        var shared = new Dictionary<string, string?>
        {
            ["Sources:AllowPrivateSources"] = "true",   // the source is a closed loopback port: refused at once
            ["Queue:MaxAttempts"] = "1",
        };
        await using var api = await ApiServer.StartAsync(settings: shared);
        var client = await api.NewOwnerClientAsync();

        var slicer = SlicerApp.Build(new Dictionary<string, string?>(shared)
        {
            ["Data"] = api.DataDirectory,
            ["Slicer:Count"] = "1",
            ["Slicer:IdlePoll"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        Assert.Null(slicer.Services.GetService<IServer>());
        Assert.Contains(slicer.Services.GetServices<IHostedService>(), s => s is SlicerService);
        Assert.NotNull(slicer.Services.GetService<IJobQueue>());

        await slicer.StartAsync();
        try
        {
            var created = await client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = "http://127.0.0.1:9/clip.mp4" } });
            Assert.True(created["error"]!.GetValue<int>() == 0, created.ToJsonString());
            var id = created["job"]!["id"]!.GetValue<string>();

            // The API process runs no slicer, so only the slicer-only host can have tried it.
            var job = await Eventually.UntilAsync(
                async () => (await client.CallAsync("/api2/cloudslicer/jobs/get", new { id }))["job"]!.AsObject(),
                j => j["state"]!.GetValue<string>() == "error",
                Deadline,
                "the slicer-only host to claim and fail the job");
            Assert.Equal(1, job["attempts"]!.GetValue<int>());
            Assert.False(string.IsNullOrEmpty(job["last_error"]!.GetValue<string>()));
        }
        finally
        {
            await slicer.StopAsync();
            slicer.Dispose();
        }
    }

    [Fact]
    public void A_slicer_only_host_refuses_bad_configuration_with_the_same_one_line_error_as_serve()
    {
        var data = Path.Combine(Path.GetTempPath(), $"cloudslicer-slicer-{Guid.NewGuid():N}");
        var ex = Assert.Throws<ConfigurationException>(() => SlicerApp.Build(new Dictionary<string, string?>
        {
            ["Data"] = data,
            ["Db"] = "postgres://user:secret@:5432/cloudslicer",   // no host
        }));
        Assert.Contains("postgresql://", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }
}
