using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// The Slicebot <c>libraries</c> setting through the real <c>cloudslicer serve</c>: a job naming a library by id
/// and another by a new name ends with its asset in both (the new one created), as /api2/asset/get and
/// /api2/library/list show.
/// </summary>
public sealed class LibrarySettingTests(Sources sources) : IClassFixture<Sources>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private static JsonObject Ok(JsonObject response)
    {
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response;
    }

    [Fact]
    public async Task A_job_with_libraries_ends_with_its_asset_in_the_named_libraries()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client = new Api2Client(http, server.Owner!, server.Secret!);
        var trailers = Ok(await client.CallAsync("/api2/library/create", new { desc = "Trailers" }))["library"]!["id"]!.GetValue<string>();

        var id = await client.CreateAsync(sources.Url("clip.mp4"), new { libraries = $"{trailers}, Promos" });
        var (job, _) = await client.WaitFinishedAsync(id, Deadline);
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        var assetId = job["asset"]!.GetValue<string>();

        var libraries = Ok(await client.CallAsync("/api2/library/list", new { }))["libraries"]!.AsArray();
        Assert.Equal(["Trailers", "Promos"], libraries.Select(l => l!["desc"]!.GetValue<string>()));
        Assert.All(libraries, l => Assert.Equal($"""["{assetId}"]""", l!["assets"]!.ToJsonString()));
        var promos = libraries[1]!["id"]!.GetValue<string>();

        var asset = Ok(await client.CallAsync("/api2/asset/get", new { id = assetId }))["asset"]!;
        Assert.Equal($"""["{trailers}","{promos}"]""", asset["libraries"]!.ToJsonString());
    }
}
