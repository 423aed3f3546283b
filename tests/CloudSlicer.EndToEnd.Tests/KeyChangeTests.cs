using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// The server caches each owner's keys; a key added or disabled by <c>cloudslicer owner key</c> (another process
/// on the same database) must count at the server's very next request, with no wait and no restart.
/// </summary>
public sealed class KeyChangeTests
{
    private const string List = "/api2/cloudslicer/jobs/list";

    [Fact]
    public async Task A_key_disabled_by_the_CLI_while_serve_runs_is_refused_at_the_next_request()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, null, "--slicers", "0");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var owner = server.Owner!;
        var first = new Api2Client(http, owner, server.Secret!);

        // Signed and served twice, so the server holds the owner's keys in memory.
        Assert.Equal(0, await ErrorOfAsync(first));
        Assert.Equal(0, await ErrorOfAsync(first));

        var added = await Cli.RunAsync(null, "owner", "key", "add", "--owner", owner, "--data", data.Path);
        Assert.Equal(0, added.ExitCode);
        var second = new Api2Client(http, owner, JsonNode.Parse(added.Stdout)!["secret"]!.GetValue<string>());
        Assert.Equal(0, await ErrorOfAsync(second));

        var disabled = await Cli.RunWithInputAsync(null, server.Secret! + "\n", "owner", "key", "disable", "--owner", owner, "--data", data.Path);
        Assert.Equal(0, disabled.ExitCode);
        var refused = await first.CallAsync(List);
        Assert.Equal(1, refused["error"]!.GetValue<int>());
        Assert.Contains("Bad signature", refused["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await ErrorOfAsync(second));

        // The owner's last key: the owner can no longer sign at all.
        var last = await Cli.RunWithInputAsync(null, second.Secret + "\n", "owner", "key", "disable", "--owner", owner, "--data", data.Path);
        Assert.Equal(0, last.ExitCode);
        Assert.Equal(1, await ErrorOfAsync(second));
        Assert.Equal(1, await ErrorOfAsync(first));
    }

    private static async Task<int> ErrorOfAsync(Api2Client client) =>
        (await client.CallAsync(List))["error"]!.GetValue<int>();
}
