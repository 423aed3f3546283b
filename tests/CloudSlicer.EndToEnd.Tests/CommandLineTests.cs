using System.Text.Json.Nodes;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>The <c>cloudslicer</c> commands as DESIGN.md §2 defines them.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Owner_add_prints_only_its_json_and_the_owner_can_sign_against_serve()
    {
        using var data = new TempDirectory();
        var (exit, stdout, _) = await Cli.RunAsync(null, "owner", "add", "--name", "team-b", "--data", data.Path);
        Assert.Equal(0, exit);
        Assert.Matches("""^\{"owner": "[0-9a-f]{32}", "secret": "[A-Za-z0-9_-]{40}"\}\n$""", stdout);
        var created = JsonNode.Parse(stdout)!;

        await using var server = await ServerProcess.StartAsync(data.Path, null, "--slicers", "0");
        Assert.Null(server.Owner);   // the store already had an owner: none is created
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var client = new Api2Client(http, created["owner"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
        var list = await client.CallAsync("/api2/cloudslicer/jobs/list");
        Assert.Equal(0, list["error"]!.GetValue<int>());
    }

    [Fact]
    public async Task Owner_keys_can_be_added_listed_and_disabled_without_a_secret_on_the_command_line()
    {
        using var data = new TempDirectory();
        var owner = JsonNode.Parse((await Cli.RunAsync(null, "owner", "add", "--data", data.Path)).Stdout)!;
        var (id, first) = (owner["owner"]!.GetValue<string>(), owner["secret"]!.GetValue<string>());
        var (exit, stdout, _) = await Cli.RunAsync(null, "owner", "key", "add", "--owner", id, "--data", data.Path);
        Assert.Equal(0, exit);
        var second = JsonNode.Parse(stdout)!["secret"]!.GetValue<string>();
        var third = JsonNode.Parse((await Cli.RunAsync(null, "owner", "key", "add", "--owner", id, "--data", data.Path)).Stdout)!["secret"]!.GetValue<string>();
        Assert.NotEqual(first, second);

        // list names keys by fingerprint only.
        var listed = await Cli.RunAsync(null, "owner", "key", "list", "--owner", id, "--data", data.Path);
        Assert.Equal(0, listed.ExitCode);
        Assert.DoesNotContain(first, listed.Stdout, StringComparison.Ordinal);
        var fingerprints = JsonNode.Parse(listed.Stdout)!["keys"]!.AsArray().Select(k => k!["fingerprint"]!.GetValue<string>()).ToList();
        Assert.Equal(3, fingerprints.Count);
        Assert.All(fingerprints, f => Assert.Matches("^[0-9a-f]{16}$", f));

        // A key on the command line is refused: it would sit in ps and shell history.
        var onCommandLine = await Cli.RunAsync(null, "owner", "key", "disable", "--owner", id, "--key", first, "--data", data.Path);
        Assert.Equal(2, onCommandLine.ExitCode);
        Assert.Contains("--fingerprint", onCommandLine.Stderr, StringComparison.Ordinal);

        // By fingerprint (a prefix is enough), and by the key piped on standard input.
        var byFingerprint = await Cli.RunAsync(null, "owner", "key", "disable", "--owner", id, "--fingerprint", fingerprints[0][..10], "--data", data.Path);
        Assert.Equal(0, byFingerprint.ExitCode);
        Assert.Equal(fingerprints[0], JsonNode.Parse(byFingerprint.Stdout)!["fingerprint"]!.GetValue<string>());
        var byStdin = await Cli.RunWithInputAsync(null, third + "\n", "owner", "key", "disable", "--owner", id, "--data", data.Path);
        Assert.Equal(0, byStdin.ExitCode);
        Assert.DoesNotContain(third, byStdin.Stdout + byStdin.Stderr, StringComparison.Ordinal);
        var nothingPiped = await Cli.RunWithInputAsync(null, "", "owner", "key", "disable", "--owner", id, "--data", data.Path);
        Assert.Equal(1, nothingPiped.ExitCode);
        Assert.Contains("standard input", nothingPiped.Stderr, StringComparison.Ordinal);

        var unknown = await Cli.RunAsync(null, "owner", "key", "add", "--owner", new string('f', 32), "--data", data.Path);
        Assert.Equal((1, ""), (unknown.ExitCode, unknown.Stdout));
        Assert.Contains("no owner", unknown.Stderr, StringComparison.Ordinal);

        await using var server = await ServerProcess.StartAsync(data.Path, null, "--slicers", "0");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        Assert.Equal(0, (await new Api2Client(http, id, second).CallAsync("/api2/cloudslicer/jobs/list"))["error"]!.GetValue<int>());
        Assert.Equal(1, (await new Api2Client(http, id, first).CallAsync("/api2/cloudslicer/jobs/list"))["error"]!.GetValue<int>());
        Assert.Equal(1, (await new Api2Client(http, id, third).CallAsync("/api2/cloudslicer/jobs/list"))["error"]!.GetValue<int>());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_keeps_its_data_directory_and_database_files_private()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, null, "--slicers", "0");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        await new Api2Client(http, server.Owner!, server.Secret!).CallAsync("/api2/cloudslicer/jobs/list");

        const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(Rw | UnixFileMode.UserExecute, File.GetUnixFileMode(data.Path));
        foreach (var name in new[] { "cloudslicer.db", "cloudslicer.db-wal", "cloudslicer.db-shm" })
        {
            Assert.Equal(Rw, File.GetUnixFileMode(Path.Combine(data.Path, name)));
        }
    }

    [Theory]
    [InlineData("--db", "postgres://slicer:hunter2@:5432/cloudslicer", null, "postgresql://")]   // no host
    [InlineData("--blobs", "s3://Bad_Bucket/prefix?endpoint=http://127.0.0.1:9000", null, "--blobs is not a usable S3 location")]
    [InlineData("--slicers", "-1", null, "section 'Slicer'")]
    [InlineData("--urls", "http://127.0.0.1:0", "CLOUDSLICER_Queue__MaxAttempts=0", "MaxAttempts")]
    [InlineData("--urls", "http://127.0.0.1:0", "CLOUDSLICER_Media__FfmpegPath=/nonexistent/ffmpeg", "/nonexistent/ffmpeg")]
    [InlineData("--urls", "not a url", null, "--urls")]
    [InlineData("--urls", "http://127.0.0.1:0", "CLOUDSLICER_Slicer__HeartbeatInterval=00:00:20", "HeartbeatInterval")]
    public async Task Bad_configuration_stops_serve_with_one_clear_line(string flag, string value, string? environment, string expected)
    {
        using var data = new TempDirectory();
        var env = environment?.Split('=', 2) is [var key, var val] ? new Dictionary<string, string> { [key] = val } : null;
        var (exit, stdout, stderr) = await Cli.RunAsync(env, "serve", "--data", data.Path, flag, value);
        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cloudslicer: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stderr + stdout, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }
}
