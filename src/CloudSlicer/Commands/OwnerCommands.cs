using System.CommandLine;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Hosting;
using CloudSlicer.Storage;
using CloudSlicer.Storage.Owners;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudSlicer.Commands;

/// <summary>
/// <c>owner add</c>, <c>owner key add</c>, <c>owner key disable</c>: manage who may sign api2 calls.
/// They print only JSON on stdout, so scripts can read it.
/// </summary>
internal static class OwnerCommands
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory (default ./data)", Recursive = true };
        var db = new Option<string>("--db") { Description = "Job store: a SQLite file path", Recursive = true };

        var name = new Option<string>("--name") { Description = "A name for the owner" };
        var add = new Command("add", "Add an owner; prints {\"owner\": ..., \"secret\": ...}") { name };
        add.SetAction((parse, ct) => WithStoreAsync(parse.GetValue(data), parse.GetValue(db), async owners =>
        {
            var created = await owners.AddOwnerAsync(parse.GetValue(name), ct);
            Print(new JsonObject { ["owner"] = created.Owner, ["secret"] = created.Secret });
            return 0;
        }));

        var owner = new Option<string>("--owner") { Description = "The owner id", Required = true };
        var keyAdd = new Command("add", "Add another API key to an owner") { owner };
        keyAdd.SetAction((parse, ct) => WithStoreAsync(parse.GetValue(data), parse.GetValue(db), async owners =>
        {
            var created = await owners.AddKeyAsync(parse.GetValue(owner)!, ct);
            if (created is null)
            {
                await Console.Error.WriteLineAsync($"cloudslicer: no owner '{parse.GetValue(owner)}' in this store");
                return 1;
            }

            Print(new JsonObject { ["owner"] = created.Owner, ["secret"] = created.Secret });
            return 0;
        }));

        var key = new Option<string>("--key") { Description = "The API key to disable", Required = true };
        var keyDisable = new Command("disable", "Disable one API key of an owner") { owner, key };
        keyDisable.SetAction((parse, ct) => WithStoreAsync(parse.GetValue(data), parse.GetValue(db), async owners =>
        {
            if (!await owners.DisableKeyAsync(parse.GetValue(owner)!, parse.GetValue(key)!, ct))
            {
                await Console.Error.WriteLineAsync("cloudslicer: no such enabled key for that owner");
                return 1;
            }

            Print(new JsonObject { ["owner"] = parse.GetValue(owner), ["disabled"] = true });
            return 0;
        }));

        return new Command("owner", "Manage owners and their API keys")
        {
            data, db, add, new Command("key", "Manage an owner's API keys") { keyAdd, keyDisable },
        };
    }

    private static async Task<int> WithStoreAsync(string? data, string? db, Func<IOwnerStore, Task<int>> action)
    {
        IConfiguration configuration;
        Deployment deployment;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                .AddEnvironmentVariables("CLOUDSLICER_")
                .AddInMemoryCollection([new("Data", data), new("Db", db)])
                .Build();
            deployment = Deployment.From(configuration);
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"cloudslicer: {ex.Message}");
            return 2;
        }

        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddSqliteStorage(deployment.DatabasePath);
        await using var provider = services.BuildServiceProvider();
        return await action(provider.GetRequiredService<IOwnerStore>());
    }

    // Spaced like DESIGN.md shows it: {"owner": "...", "secret": "..."}.
    private static void Print(JsonObject json) =>
        Console.WriteLine("{" + string.Join(", ", json.Select(p => $"{JsonValue.Create(p.Key).ToJsonString()}: {p.Value?.ToJsonString() ?? "null"}")) + "}");
}
