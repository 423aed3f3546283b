using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

internal static class JobPolling
{
    private static readonly string[] Finished = ["done", "error", "cancelled"];

    public static async Task<JsonObject> GetJobAsync(this Api2Client client, string id)
    {
        var response = await client.CallAsync("/api2/cloudslicer/jobs/get", new { id });
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response["job"]!.AsObject();
    }

    /// <summary>Polls /jobs/get until the job is finished, recording every (state, progress) it showed.</summary>
    public static async Task<(JsonObject Job, IReadOnlyList<(string State, string Progress)> Seen)> WaitFinishedAsync(
        this Api2Client client, string id, TimeSpan timeout)
    {
        var seen = new List<(string, string)>();
        var job = await Eventually.UntilAsync(
            async () =>
            {
                var j = await client.GetJobAsync(id);
                var step = (j["state"]!.GetValue<string>(), j["progress"]!.GetValue<string>());
                if (seen.Count == 0 || seen[^1] != step)
                {
                    seen.Add(step);
                }

                return j;
            },
            j => Finished.Contains(j["state"]!.GetValue<string>()),
            timeout,
            $"job {id} to finish");
        return (job, seen);
    }

    public static async Task<string> CreateAsync(this Api2Client client, string url, object? args = null)
    {
        var response = await client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url }, args = args ?? new { } });
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response["job"]!["id"]!.GetValue<string>();
    }
}
