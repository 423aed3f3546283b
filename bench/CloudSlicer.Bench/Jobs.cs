using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.Bench;

/// <summary>The three signed api2 calls the bench makes, failing loudly on an api2 error.</summary>
public sealed class Jobs(Api2Client client)
{
    public async Task<string> CreateAsync(string sourceUrl, CancellationToken cancellationToken)
    {
        var job = await CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url = sourceUrl } }, cancellationToken);
        return job["id"]!.GetValue<string>();
    }

    public Task<JsonObject> GetAsync(string id, CancellationToken cancellationToken) =>
        CallAsync("/api2/cloudslicer/jobs/get", new { id }, cancellationToken);

    public Task<JsonObject> CancelAsync(string id, CancellationToken cancellationToken) =>
        CallAsync("/api2/cloudslicer/jobs/cancel", new { id }, cancellationToken);

    private async Task<JsonObject> CallAsync(string path, object parameters, CancellationToken cancellationToken)
    {
        var response = await client.CallAsync(path, parameters, cancellationToken);
        if (response["error"]?.GetValue<int>() != 0)
        {
            throw new InvalidOperationException($"{path} failed: {response.ToJsonString()}");
        }

        return response["job"]?.AsObject() ?? throw new InvalidOperationException($"{path} answered without a job: {response.ToJsonString()}");
    }
}

public static class JobFields
{
    public static string State(this JsonObject job) => job["state"]?.GetValue<string>() ?? "";

    public static string Progress(this JsonObject job) => job["progress"]?.GetValue<string>() ?? "";
}
