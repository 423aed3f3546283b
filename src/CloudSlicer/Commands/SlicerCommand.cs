using System.CommandLine;
using System.Globalization;
using CloudSlicer.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudSlicer.Commands;

/// <summary>
/// <c>cloudslicer slicer</c>: slicers only, for the scaled-out shape (DESIGN.md §2). No API and no content: it claims
/// jobs from the shared job store and publishes to the shared blob store. SIGTERM hands its jobs back.
/// </summary>
internal static class SlicerCommand
{
    public static Command Create()
    {
        var stores = new StoreFlags();
        var count = new Option<int?>("--count") { Description = "Slicers to run in this process (default Slicer:Count, 1)" };
        var healthUrls = new Option<string>("--health-urls")
        {
            Description = "Serve GET /healthz on these addresses for an orchestrator: 200 when ready, 503 otherwise (default off)",
        };
        var readyFile = new Option<string>("--ready-file") { Description = "A file written when the slicers are ready and removed when they stop (default off)" };

        var command = new Command("slicer", "Run slicers only, on the stores the API nodes use") { count, healthUrls, readyFile };
        foreach (var option in stores.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            stores.AddTo(overrides, parse);
            StoreFlags.Set(overrides, "Slicer:Count", parse.GetValue(count)?.ToString(CultureInfo.InvariantCulture));
            StoreFlags.Set(overrides, "Health:Urls", parse.GetValue(healthUrls));
            StoreFlags.Set(overrides, "Health:ReadyFile", parse.GetValue(readyFile));
            return await RunAsync(overrides, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Dictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        IHost host;
        HealthPort? health = null;
        try
        {
            host = SlicerApp.Build(overrides);
        }
        catch (Exception ex) when (StartupError.Describe(ex) is { } line)
        {
            await Console.Error.WriteLineAsync($"cloudslicer: {line}");
            return 2;
        }

        using (host)
        {
            var readiness = host.Services.GetRequiredService<SlicerReadiness>();
            var configuration = host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
            var readyFile = configuration["Health:ReadyFile"] is { Length: > 0 } file ? file : null;
            try
            {
                if (readiness.SlicerIds.Count == 0)
                {
                    throw new ConfigurationException("--count must be at least 1 (cloudslicer slicer runs slicers only; for an API without slicers use serve --slicers 0)");
                }

                if (configuration["Health:Urls"] is { Length: > 0 } urls)
                {
                    health = await HealthPort.StartAsync(urls, readiness.IsReadyAsync, cancellationToken);
                }

                await host.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (StartupError.Describe(ex) is { } line)
            {
                await Console.Error.WriteLineAsync($"cloudslicer: {line}");
                await (health?.DisposeAsync() ?? ValueTask.CompletedTask);
                return 2;
            }

            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            try
            {
                if (await WaitUntilReadyAsync(readiness, lifetime.ApplicationStopping))
                {
                    var prefix = SlicerIdPrefix(readiness.SlicerIds[0]);
                    if (readyFile is not null)
                    {
                        ReadyFile.Write(readyFile, $"{prefix} {readiness.SlicerIds.Count}\n");
                        lifetime.ApplicationStopping.Register(() => ReadyFile.Remove(readyFile));
                    }

                    // Printed once ready: scripts and tests wait for this line.
                    var healthNote = health is null ? "" : $"; health on {string.Join(", ", health.Urls.Select(u => u.TrimEnd('/') + "/healthz"))}";
                    Console.WriteLine($"CloudSlicer slicer is running {readiness.SlicerIds.Count} slicers as {prefix}{healthNote}");
                }

                await host.WaitForShutdownAsync(CancellationToken.None);   // SIGTERM: the slicers hand their jobs back
            }
            finally
            {
                if (readyFile is not null)
                {
                    ReadyFile.Remove(readyFile);
                }

                await (health?.DisposeAsync() ?? ValueTask.CompletedTask);
            }
        }

        return 0;
    }

    private static async Task<bool> WaitUntilReadyAsync(SlicerReadiness readiness, CancellationToken stopping)
    {
        try
        {
            await readiness.WaitUntilReadyAsync(stopping);
            return true;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;   // stopped before it was ever ready
        }
    }

    // {host}:{pid}:{i} → {host}:{pid}, what every slicer of this process shares.
    private static string SlicerIdPrefix(string id) => id[..id.LastIndexOf(':')];
}
