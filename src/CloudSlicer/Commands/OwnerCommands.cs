using System.CommandLine;
using System.Text.Json.Nodes;
using CloudSlicer.Hosting;
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
        var db = new Option<string>("--db") { Description = "Job store: a SQLite file path or a PostgreSQL connection (postgresql://... or Host=...;...)", Recursive = true };

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

        var keyList = new Command("list", "List an owner's API keys by fingerprint (never the keys themselves)") { owner };
        keyList.SetAction((parse, ct) => WithStoreAsync(parse.GetValue(data), parse.GetValue(db), async owners =>
        {
            var keys = await owners.ListKeysAsync(parse.GetValue(owner)!, ct);
            if (keys.Count == 0)
            {
                await Console.Error.WriteLineAsync($"cloudslicer: no owner '{parse.GetValue(owner)}' in this store");
                return 1;
            }

            Print(new JsonObject
            {
                ["owner"] = parse.GetValue(owner),
                ["keys"] = new JsonArray(keys.Select(k => (JsonNode?)new JsonObject
                {
                    ["fingerprint"] = KeyFingerprint.Of(k.Key), ["enabled"] = k.Enabled, ["created"] = k.Created,
                }).ToArray()),
            });
            return 0;
        }));

        var fingerprint = new Option<string>("--fingerprint") { Description = "The key's fingerprint from 'owner key list' (8 to 16 hex digits)" };

        // Kept only to refuse it with directions: a key on the command line ends up in ps and shell history.
        var key = new Option<string>("--key") { Hidden = true };
        var keyDisable = new Command("disable", "Disable one API key of an owner: give --fingerprint, or pipe the key on standard input") { owner, fingerprint, key };
        keyDisable.SetAction((parse, ct) => WithStoreAsync(parse.GetValue(data), parse.GetValue(db), async owners =>
        {
            if (parse.GetValue(key) is not null)
            {
                await Console.Error.WriteLineAsync("cloudslicer: --key is not accepted (it would leave the secret in ps and shell history); give --fingerprint from 'owner key list', or pipe the key on standard input");
                return 2;
            }

            var id = parse.GetValue(owner)!;
            var chosen = parse.GetValue(fingerprint) is { } given
                ? await KeyByFingerprintAsync(owners, id, given, ct)
                : await KeyFromStandardInputAsync(ct);
            if (chosen is not { } secret)
            {
                return 1;
            }

            if (!await owners.DisableKeyAsync(id, secret, ct))
            {
                await Console.Error.WriteLineAsync("cloudslicer: no such enabled key for that owner");
                return 1;
            }

            Print(new JsonObject { ["owner"] = id, ["fingerprint"] = KeyFingerprint.Of(secret), ["disabled"] = true });
            return 0;
        }));

        return new Command("owner", "Manage owners and their API keys")
        {
            data, db, add, new Command("key", "Manage an owner's API keys") { keyAdd, keyList, keyDisable },
        };
    }

    /// <summary>The one enabled or disabled key whose fingerprint starts with <paramref name="given"/>; null (said on stderr) otherwise.</summary>
    private static async Task<string?> KeyByFingerprintAsync(IOwnerStore owners, string owner, string given, CancellationToken cancellationToken)
    {
        if (!KeyFingerprint.TryNormalize(given, out var prefix))
        {
            await Console.Error.WriteLineAsync($"cloudslicer: --fingerprint must be {KeyFingerprint.MinimumPrefix} to {KeyFingerprint.Length} hex digits, as 'owner key list' prints them");
            return null;
        }

        var matches = (await owners.ListKeysAsync(owner, cancellationToken))
            .Where(k => KeyFingerprint.Of(k.Key).StartsWith(prefix, StringComparison.Ordinal)).ToList();
        switch (matches.Count)
        {
            case 1:
                return matches[0].Key;
            case 0:
                await Console.Error.WriteLineAsync($"cloudslicer: owner '{owner}' has no key with fingerprint {prefix}; see 'owner key list --owner {owner}'");
                return null;
            default:
                await Console.Error.WriteLineAsync($"cloudslicer: {matches.Count} keys match fingerprint {prefix}; give more digits");
                return null;
        }
    }

    /// <summary>The key, read from standard input (a pipe, or typed after a prompt on a terminal).</summary>
    private static async Task<string?> KeyFromStandardInputAsync(CancellationToken cancellationToken)
    {
        if (!Console.IsInputRedirected)
        {
            await Console.Error.WriteAsync("API key to disable (or use --fingerprint): ");
        }

        var line = (await Console.In.ReadLineAsync(cancellationToken))?.Trim();
        if (string.IsNullOrEmpty(line))
        {
            await Console.Error.WriteLineAsync("cloudslicer: no key on standard input; pipe the key in (e.g. from a secrets file) or give --fingerprint");
            return null;
        }

        return line;
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

        var services = deployment.JobStore.AddTo(new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration));
        await using var provider = services.BuildServiceProvider();
        return await action(provider.GetRequiredService<IOwnerStore>());
    }

    // Spaced like DESIGN.md shows it: {"owner": "...", "secret": "..."}.
    private static void Print(JsonObject json) =>
        Console.WriteLine("{" + string.Join(", ", json.Select(p => $"{JsonValue.Create(p.Key).ToJsonString()}: {p.Value?.ToJsonString() ?? "null"}")) + "}");
}
