using System.Text.Json.Nodes;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>Runs the public Python helper (tools/uplynk_api2_auth.py, copied next to the test assembly) for one call.</summary>
internal static class PythonHelper
{
    private static readonly string Tools = AppContext.BaseDirectory;

    /// <summary>The environment that points the helper at <paramref name="url"/> as the given owner.</summary>
    public static Dictionary<string, string> Environment(string url, string owner, string secret) => new()
    {
        ["CLOUDSLICER_URL"] = url,
        ["CLOUDSLICER_OWNER"] = owner,
        ["CLOUDSLICER_SECRET"] = secret,
    };

    public static async Task<JsonObject> CallAsync(Dictionary<string, string> env, string path, JsonObject parameters)
    {
        var start = new System.Diagnostics.ProcessStartInfo("python3")
        {
            WorkingDirectory = Tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "uplynk_api2_auth.py", path, parameters.ToJsonString() })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        return JsonNode.Parse(await stdout)!.AsObject();
    }
}
