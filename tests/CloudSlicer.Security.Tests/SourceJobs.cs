using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// What became of one hostile source: refused at the door (<see cref="CreateError"/>, an <c>error: 1</c> from
/// /jobs/create) or a job, as last seen (<see cref="Job"/>).
/// </summary>
public sealed record SourceOutcome(string Url, string? CreateError, JsonObject? Job)
{
    public string State => Job?["state"]?.GetValue<string>() ?? "";

    public string LastError => Job?["last_error"]?.GetValue<string>() ?? "";

    public int Attempts => Job?["attempts"]?.GetValue<int>() ?? 0;

    public override string ToString() =>
        CreateError is not null ? $"{Url}: create refused: {CreateError}" : $"{Url}: {State} after {Attempts} attempt(s): {LastError}";
}

/// <summary>A server of the security suite with the SSRF guard on, and the jobs it is given: all created first, then waited for together.</summary>
public static class SourceJobs
{
    private static readonly string[] Finished = ["done", "error", "cancelled"];

    /// <summary>
    /// <c>cloudslicer serve</c> as a public service runs it (no --allow-private-sources), with <paramref name="environment"/>,
    /// and a client for its first owner.
    /// </summary>
    public static async Task<(CloudSlicerProcess Server, HttpClient Http, Api2Client Client)> StartAsync(
        string dataDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = await ServerProcess.StartAsync(dataDirectory, environment, allowPrivateSources: false);
        var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        return (server, http, new Api2Client(http, server.Owner!, server.Secret!));
    }

    /// <summary>
    /// Creates a job for each URL, then waits until every job has settled: finished, or back to <c>waiting</c>
    /// with a <c>last_error</c> (when <paramref name="settledWhileWaiting"/>). A job still running at the
    /// deadline is a stuck job, and fails the wait.
    /// </summary>
    public static async Task<IReadOnlyList<SourceOutcome>> RunAsync(
        Api2Client client, IEnumerable<string> urls, TimeSpan timeout, bool settledWhileWaiting = false)
    {
        var created = new List<(string Url, string? Error, string? Id)>();
        foreach (var url in urls)
        {
            var response = await client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url }, args = new { } });
            created.Add(response["error"]!.GetValue<int>() == 0
                ? (url, null, response["job"]!["id"]!.GetValue<string>())
                : (url, response["msg"]?.GetValue<string>() ?? response.ToJsonString(), null));
        }

        var last = await Eventually.UntilAsync(
            async () =>
            {
                var seen = new List<SourceOutcome>();
                foreach (var (url, error, id) in created)
                {
                    seen.Add(new SourceOutcome(url, error, id is null ? null : await GetAsync(client, id)));
                }

                return new Snapshot(seen);
            },
            seen => seen.Outcomes.All(o => o.CreateError is not null || IsSettled(o, settledWhileWaiting)),
            timeout,
            "every job to settle");
        return last.Outcomes;
    }

    /// <summary>Fails with one line per URL: which of them fell short.</summary>
    public static void AssertAll(IEnumerable<SourceOutcome> outcomes, Func<SourceOutcome, bool> expected, string what)
    {
        var failed = outcomes.Where(o => !expected(o)).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} source(s) not {what}:\n{string.Join('\n', failed)}");
    }

    /// <summary>A temporary data directory for one server, removed with it.</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), $"cloudslicer-security-sources-{Guid.NewGuid():N}");

    public static void DeleteDataDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // never created
        }
    }

    private sealed record Snapshot(IReadOnlyList<SourceOutcome> Outcomes)
    {
        public override string ToString() => "\n" + string.Join('\n', Outcomes);
    }

    public static async Task<JsonObject> GetAsync(Api2Client client, string id)
    {
        var response = await client.CallAsync("/api2/cloudslicer/jobs/get", new { id });
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response["job"]!.AsObject();
    }

    private static bool IsSettled(SourceOutcome outcome, bool settledWhileWaiting) =>
        Finished.Contains(outcome.State) || (settledWhileWaiting && outcome.State == "waiting" && outcome.LastError.Length > 0);
}
