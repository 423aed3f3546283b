using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using CloudSlicer.Testing;
using Xunit.Abstractions;

namespace CloudSlicer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// Two API nodes and two slicer processes on one PostgreSQL: jobs created all at once, spread over both nodes and a
/// few owners, are each done exactly once — one claim (attempts 1, one slicer process seen holding it), one asset,
/// one done notification.
/// </summary>
[Collection(Faults.Name)]
public sealed class ConcurrentJobsTests(Sources sources, ITestOutputHelper output) : IClassFixture<Sources>
{
    private const int Jobs = 200;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Jobs_created_concurrently_on_two_api_nodes_are_each_done_exactly_once_by_two_slicer_processes()
    {
        await using var deployment = await Deployment.StartAsync(new DeploymentSpec
        {
            ApiNodes = 2,
            Environment = new Dictionary<string, string> { ["CLOUDSLICER_Notifications__PollInterval"] = "00:00:00.100" },
        });
        await using var receiver = await NotificationReceiver.StartAsync();

        // A one-second source at the smallest size: the test is about claims, not encoding.
        var tiny = $"tiny-{Guid.NewGuid():N}.mp4";
        await MediaClips.GenerateAsync(
            Path.Combine(sources.Directory, tiny), new MediaClipSpec { Duration = TimeSpan.FromSeconds(1), Width = 160, Height = 90, FrameRate = 15 });

        var owners = new List<(string Owner, string Secret)> { (deployment.Owner, deployment.Secret), await deployment.AddOwnerAsync(), await deployment.AddOwnerAsync() };
        var slicers = new[] { await deployment.StartSlicerAsync(count: 2), await deployment.StartSlicerAsync(count: 2) };

        var clock = Stopwatch.StartNew();
        var created = await Task.WhenAll(Enumerable.Range(0, Jobs).Select(async i =>
        {
            var (owner, secret) = owners[i % owners.Count];
            var client = deployment.Client(i % 2, owner, secret);
            return (Owner: i % owners.Count, Id: await client.CreateAsync(sources.Url(tiny), new { done_url = receiver.Url($"/done?n={i}") }));
        }));
        output.WriteLine($"created {Jobs} jobs in {clock.Elapsed.TotalSeconds:0.0} s");

        // Watch every job until all are finished, noting which slicer processes were seen holding each.
        var holders = new ConcurrentDictionary<string, HashSet<string>>();
        var finished = await Eventually.UntilAsync(
            async () =>
            {
                var jobs = new List<JsonObject>();
                for (var o = 0; o < owners.Count; o++)
                {
                    jobs.AddRange(await ListAllAsync(deployment.Client(o % 2, owners[o].Owner, owners[o].Secret)));
                }

                foreach (var job in jobs.Where(j => j["slicer"]?.GetValue<string>() is not null))
                {
                    holders.GetOrAdd(job["id"]!.GetValue<string>(), _ => []).Add(job["slicer"]!.GetValue<string>().Split(':')[1]);
                }

                return jobs;
            },
            jobs => jobs.Count == Jobs && jobs.All(j => j["state"]!.GetValue<string>() is "done" or "error" or "cancelled"),
            Deadline,
            $"all {Jobs} jobs to finish");
        output.WriteLine($"all done {clock.Elapsed.TotalSeconds:0.0} s after the first create");

        Assert.Equal(created.Select(c => c.Id).Order(), finished.Select(j => j["id"]!.GetValue<string>()).Order());
        Assert.All(finished, j => Assert.Equal(("done", 1), (j["state"]!.GetValue<string>(), j["attempts"]!.GetValue<int>())));
        Assert.All(holders.Values, seen => Assert.Single(seen));
        var pids = slicers.Select(s => s.SlicerIdPrefix.Split(':')[1]).ToHashSet();
        Assert.All(holders.Values, seen => Assert.Contains(seen.Single(), pids));

        // One asset per job, each in the bucket once.
        var assets = finished.Select(j => j["asset"]!.GetValue<string>()).ToList();
        Assert.Equal(Jobs, assets.Distinct().Count());
        var stored = (await deployment.ListObjectsAsync("assets/")).Select(k => k.Split('/')[1]).Distinct().Order().ToList();
        Assert.Equal(assets.Order(), stored);

        // One done notification per job, and no other.
        await Eventually.UntilAsync(
            () => Task.FromResult(receiver.Accepted.Count), n => n >= Jobs, Deadline, $"{Jobs} done notifications");
        var notified = receiver.Received.Select(r => r.Form["job_id"]).ToList();
        Assert.Equal(created.Select(c => c.Id).Order(), notified.Order());
        output.WriteLine($"jobs per slicer process: {string.Join(", ", holders.Values.GroupBy(s => s.Single()).Select(g => $"{g.Key}={g.Count()}"))}");
    }

    private static async Task<List<JsonObject>> ListAllAsync(Api2Client client)
    {
        var all = new List<JsonObject>();
        while (true)
        {
            var page = (await client.CallAsync("/api2/cloudslicer/jobs/list", new { limit = 50, skip = all.Count }))["jobs"]!.AsArray();
            all.AddRange(page.Select(j => j!.AsObject()));
            if (page.Count < 50)
            {
                return all;
            }
        }
    }
}
