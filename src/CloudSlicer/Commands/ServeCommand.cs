using System.CommandLine;
using CloudSlicer.Hosting;
using Microsoft.AspNetCore.Builder;

namespace CloudSlicer.Commands;

/// <summary><c>cloudslicer serve</c>: API, content and N in-process slicers.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on (default http://127.0.0.1:8080)" };
        var stores = new StoreFlags();
        var slicers = new Option<int?>("--slicers") { Description = "Slicers to run in this process (default 1; 0 = API only)" };
        var publicUrl = new Option<string>("--public-url") { Description = "Base URL for links handed out in API responses (default the listen address)" };

        var command = new Command("serve", "Serve the api2 API and content, with in-process slicers") { urls, slicers, publicUrl };
        foreach (var option in stores.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            stores.AddTo(overrides, parse);
            StoreFlags.Set(overrides, "Urls", parse.GetValue(urls));
            StoreFlags.Set(overrides, "PublicUrl", parse.GetValue(publicUrl));
            StoreFlags.Set(overrides, "Slicer:Count", parse.GetValue(slicers)?.ToString(System.Globalization.CultureInfo.InvariantCulture));

            return await RunAsync(overrides, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Dictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = ServeApp.Build(overrides);
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (StartupError.Describe(ex) is { } line)
        {
            await Console.Error.WriteLineAsync($"cloudslicer: {line}");
            return 2;
        }

        await using (app)
        {
            var first = await ServeApp.EnsureFirstOwnerAsync(app.Services, cancellationToken);
            var url = app.Urls.FirstOrDefault() ?? "";
            if (first is not null)
            {
                Console.WriteLine("Created the first owner (keep the secret safe; it is not shown again).");
                Console.WriteLine($"  owner:  {first.Owner}");
                Console.WriteLine($"  secret: {first.Secret}");
            }

            // Printed last: scripts and tests wait for this line before they call the API.
            Console.WriteLine($"CloudSlicer is serving on {url}");

            await app.WaitForShutdownAsync(CancellationToken.None);
        }

        return 0;
    }
}
