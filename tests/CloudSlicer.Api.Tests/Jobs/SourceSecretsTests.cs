using System.Collections.Concurrent;
using CloudSlicer.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Api.Tests.Jobs;

/// <summary>The job echoes a redacted source URL, but the slicer must fetch the URL exactly as the client sent it.</summary>
public sealed class SourceSecretsTests
{
    [Fact]
    public async Task The_slicer_fetches_the_url_as_sent_not_its_redacted_echo()
    {
        var requests = new ConcurrentQueue<string>();
        await using var source = await StartRecorderAsync(requests);
        await using var server = await ApiServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Slicer:Count"] = "1",
            ["Sources:AllowPrivateSources"] = "true",
        });
        var client = await server.NewOwnerClientAsync();
        var url = $"{source.Urls.First()}/v.mp4?token=t0k&X-Amz-Signature=s1g&quality=hd";

        var created = await client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url } });
        Assert.Equal($"{source.Urls.First()}/v.mp4?token=REDACTED&X-Amz-Signature=REDACTED&quality=hd", created["job"]!["source"]!["url"]!.GetValue<string>());

        var seen = await Eventually.UntilAsync(
            () => Task.FromResult(requests.ToArray()),
            paths => paths.Any(p => p.StartsWith("/v.mp4?", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60),
            "the slicer to request the source");
        Assert.Contains("/v.mp4?token=t0k&X-Amz-Signature=s1g&quality=hd", seen);
        Assert.DoesNotContain(seen, path => path.Contains("REDACTED", StringComparison.Ordinal));
    }

    /// <summary>A source server that records what it is asked for and has nothing (404).</summary>
    private static async Task<WebApplication> StartRecorderAsync(ConcurrentQueue<string> requests)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(http =>
        {
            requests.Enqueue(http.Request.Path + http.Request.QueryString);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        return app;
    }
}
