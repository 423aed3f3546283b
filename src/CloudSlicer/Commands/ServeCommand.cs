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
        var data = new Option<string>("--data") { Description = "Data directory for the one-box stores (default ./data)" };
        var db = new Option<string>("--db") { Description = "Job store: a SQLite file path (default <data>/cloudslicer.db) or a PostgreSQL connection (postgresql://user:password@host/db or Host=...;...)" };
        var blobs = new Option<string>("--blobs") { Description = "Blob store: a directory (default <data>/blobs)" };
        var slicers = new Option<int?>("--slicers") { Description = "Slicers to run in this process (default 1; 0 = API only)" };
        var publicUrl = new Option<string>("--public-url") { Description = "Base URL for links handed out in API responses (default the listen address)" };
        var allowPrivate = new Option<bool>("--allow-private-sources") { Description = "Allow sources on loopback and private networks (testing, trusted LANs)" };

        var command = new Command("serve", "Serve the api2 API and content, with in-process slicers")
        {
            urls, data, db, blobs, slicers, publicUrl, allowPrivate,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            Set(overrides, "Urls", parse.GetValue(urls));
            Set(overrides, "Data", parse.GetValue(data));
            Set(overrides, "Db", parse.GetValue(db));
            Set(overrides, "Blobs", parse.GetValue(blobs));
            Set(overrides, "PublicUrl", parse.GetValue(publicUrl));
            Set(overrides, "Slicer:Count", parse.GetValue(slicers)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (parse.GetValue(allowPrivate))
            {
                overrides["Sources:AllowPrivateSources"] = "true";
            }

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

    private static void Set(Dictionary<string, string?> overrides, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            overrides[key] = value;
        }
    }
}
