using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// The public Python helper (tools/uplynk_api2_auth.py, unchanged but for its root URL) against the real
/// server: what a customer's existing tooling sees.
/// </summary>
public sealed class PythonHelperTests(Sources sources) : IClassFixture<Sources>
{
    [Fact]
    public async Task The_python_helper_creates_a_job_and_sees_it_done_with_an_asset()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var env = PythonHelper.Environment(server.Url, server.Owner!, server.Secret!);

        var create = await PythonHelper.CallAsync(env, "/api2/cloudslicer/jobs/create", new JsonObject
        {
            ["source"] = new JsonObject { ["url"] = sources.Url("clip.mp4") },
            ["args"] = new JsonObject { ["trim"] = "5000,3000", ["description"] = "from python", ["bad_arg1"] = 1 },
        });
        Assert.Equal(0, create["error"]!.GetValue<int>());
        Assert.Equal("""["bad_arg1"]""", create["illegal_slicer_args"]!.ToJsonString());
        var id = create["job"]!["id"]!.GetValue<string>();

        var job = await CloudSlicer.Testing.Eventually.UntilAsync(
            async () => (await PythonHelper.CallAsync(env, "/api2/cloudslicer/jobs/get", new JsonObject { ["id"] = id }))["job"]!.AsObject(),
            j => j["state"]!.GetValue<string>() is "done" or "error",
            TimeSpan.FromMinutes(2),
            "the job to finish");
        Assert.Equal("done", job["state"]!.GetValue<string>());
        Assert.InRange(await Media.ProbeDurationAsync($"{server.Url}/{job["asset"]!.GetValue<string>()}.m3u8"), 2.7, 3.3);

        var list = await PythonHelper.CallAsync(env, "/api2/cloudslicer/jobs/list", new JsonObject { ["limit"] = 3 });
        Assert.Equal(id, list["jobs"]![0]!["id"]!.GetValue<string>());
    }
}
