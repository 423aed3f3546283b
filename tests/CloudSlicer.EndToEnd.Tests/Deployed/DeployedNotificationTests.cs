using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests.Deployed;

/// <summary>
/// Every process of the deployment runs a notification sender over the one PostgreSQL outbox (both API nodes and
/// both slicer processes); the claim (FOR UPDATE SKIP LOCKED, with a lease) must still deliver each notification once.
/// </summary>
[Collection(DeployedCollection.Name)]
public sealed class DeployedNotificationTests(DeployedShape shape)
{
    [Fact]
    public async Task Start_and_done_notifications_of_jobs_created_on_both_nodes_are_each_delivered_exactly_once()
    {
        var jobs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
        {
            var node = shape.Nodes[i % 2];
            return node.Alice.CreateAsync(shape.Url("clip.mp4"), new
            {
                trim = "0,2000",
                start_url = shape.Receiver.Url($"/start-{i}"),
                done_url = shape.Receiver.Url($"/done-{i}"),
            });
        }));
        foreach (var job in jobs)
        {
            await DeployedShape.DoneAsync(shape.B.Alice, job);
        }

        // Settled in the outbox: each row was claimed once and delivered.
        var rows = await Eventually.UntilAsync(
            () => shape.QueryAsync("SELECT job_id, event, state, attempts FROM notifications WHERE job_id = ANY(@jobs) ORDER BY job_id, event", ("jobs", jobs)),
            r => r.Count == 8 && r.All(row => (string)row[2] != "pending"),
            DeployedShape.Deadline,
            "every notification to be settled");
        Assert.All(rows, row => Assert.Equal(("delivered", 1), ((string)row[2], (int)row[3])));

        for (var i = 0; i < jobs.Length; i++)
        {
            var done = Assert.Single(shape.Receiver.Received, r => r.Path == $"/done-{i}");
            Assert.Equal(("ok", jobs[i]), (done.Form["status"], done.Form["job_id"]));
            Assert.True(done.SignedWith(shape.A.Alice.Secret));
            Assert.Single(shape.Receiver.Received, r => r.Path == $"/start-{i}");
        }
    }
}
