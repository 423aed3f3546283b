using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// Files that pose as media, sliced by a real server: each job ends in error with a clear last_error and no
/// server path, and nothing a file names is ever opened (the canary counts no connection). A list or
/// manifest is refused for good after one attempt; a file that is merely not media may be a broken download,
/// so it gets its retries (MaxAttempts is 2 in <see cref="ServerProcess"/>).
/// </summary>
public sealed class HostileMediaTests(HostileMediaFixture fixture) : IClassFixture<HostileMediaFixture>
{
    private static readonly string[] Finished = ["done", "error", "cancelled"];

    [Theory]
    [InlineData("playlist.mp4", "The source is a 'hls' playlist; only media files are sliced", 1)]
    [InlineData("master.mp4", "The source is a 'hls' playlist; only media files are sliced", 1)]
    [InlineData("concat.mp4", "The source is a 'concat' playlist; only media files are sliced", 1)]
    [InlineData("manifest.mp4", "The source is a 'dash' manifest; only media files are sliced", 1)]
    [InlineData("notes.mp4", "The source is not a media file ffprobe recognises", 2)]
    [InlineData("empty.mp4", "The source is not a media file ffprobe recognises", 2)]
    public async Task A_file_posing_as_media_ends_in_error_without_opening_what_it_names(string name, string expected, int attempts)
    {
        var job = await SliceAsync(fixture.Files.UrlOf(name));

        var lastError = job["last_error"]!.GetValue<string>();
        Assert.Equal(("error", attempts), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>()));
        Assert.StartsWith(expected, lastError, StringComparison.Ordinal);
        Assert.Null(job["asset"]);
        Assert.DoesNotContain(fixture.DataDirectory, lastError, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp", lastError, StringComparison.Ordinal);
        Assert.DoesNotContain("/etc/passwd", lastError, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Canary.Connections);
    }

    private async Task<JsonObject> SliceAsync(string url)
    {
        var created = await fixture.Client.CallAsync("/api2/cloudslicer/jobs/create", new { source = new { url }, args = new { } });
        Assert.True(created["error"]!.GetValue<int>() == 0, created.ToJsonString());
        var id = created["job"]!["id"]!.GetValue<string>();
        return await Eventually.UntilAsync(
            async () => (await fixture.Client.CallAsync("/api2/cloudslicer/jobs/get", new { id }))["job"]!.AsObject(),
            job => Finished.Contains(job["state"]!.GetValue<string>()),
            TimeSpan.FromMinutes(2),
            $"job {id} to finish");
    }
}
