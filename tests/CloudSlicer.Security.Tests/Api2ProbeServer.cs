using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudSlicer.Storage;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// A real <c>cloudslicer serve</c> for one probe class, as a public service runs it (SSRF guard on, no slicers),
/// with two owners (Alice, printed by the server at first start, and Bob) and an owner store over the same
/// SQLite file for key changes. Requests are logged at Information so a probe can tell that everything it
/// caused has been written out before it checks the log for failures.
/// </summary>
public sealed partial class Api2ProbeServer : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
    };

    private ServiceProvider _storage = null!;
    private int _checkedLines;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"cloudslicer-security-{Guid.NewGuid():N}");

    public CloudSlicerProcess Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public Api2Client Alice { get; private set; } = null!;

    public Api2Client Bob { get; private set; } = null!;

    /// <summary>The server's owner store, opened from the test process (keys added or disabled here are seen by the server).</summary>
    public IOwnerStore Owners => _storage.GetRequiredService<IOwnerStore>();

    /// <summary>The server's asset records, opened from the test process (records written here are served by the server).</summary>
    public IAssetStore Assets => _storage.GetRequiredService<IAssetStore>();

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(DataDirectory, Environment, allowPrivateSources: false, "--slicers", "0");
        Http = new HttpClient { BaseAddress = new Uri(Server.Url) };
        Alice = new Api2Client(Http, Server.Owner!, Server.Secret!);
        _storage = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSqliteStorage(Path.Combine(DataDirectory, "cloudslicer.db"))
            .BuildServiceProvider();
        var bob = await Owners.AddOwnerAsync("bob", default);
        Bob = new Api2Client(Http, bob.Owner, bob.Secret);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _storage.DisposeAsync();
        await Server.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Asserts an api2 envelope: the status, <c>error</c>, and for a failure a <c>msg</c> containing <paramref name="fragment"/>.</summary>
    public static async Task<JsonObject> EnvelopeAsync(HttpResponseMessage response, int error, string fragment = "", HttpStatusCode status = HttpStatusCode.OK)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected HTTP {(int)status}, got {(int)response.StatusCode}: {text}");
            Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            return Envelope(text, error, fragment);
        }
    }

    public static JsonObject Envelope(string text, int error, string fragment = "")
    {
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.True(error == body["error"]?.GetValue<int>(), $"expected error {error}: {text}");
        if (error != 0)
        {
            var msg = body["msg"]!.GetValue<string>();
            Assert.Contains(fragment, msg, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Internal error", msg, StringComparison.Ordinal);
        }

        return body;
    }

    /// <summary>
    /// Asserts that nothing since the last check made the server log a failure, an unhandled exception or a
    /// stack trace. The console logger writes on its own thread, so first a marked request is sent and its
    /// "Request finished" line awaited: everything logged for earlier requests has then been written. (The
    /// tests of one class run one after another, so each check covers exactly its own test's requests.)
    /// </summary>
    public async Task AssertNothingFailedInTheLogAsync()
    {
        var marker = Guid.NewGuid().ToString("N");
        using (await Http.GetAsync($"/healthz?marker={marker}"))
        {
        }

        await Eventually.UntilAsync(
            () => Task.FromResult(Server.Lines),
            lines => lines.Any(l => l.Text.Contains("Request finished", StringComparison.Ordinal) && l.Text.Contains(marker, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "the server to log the marked request");
        var lines = Server.Lines;
        var failures = lines.Skip(_checkedLines).Select(l => l.Text).Where(IsFailure).ToList();
        _checkedLines = lines.Count;
        Assert.True(failures.Count == 0, "the server logged failures:\n" + string.Join('\n', failures));
    }

    private static bool IsFailure(string line) =>
        line.Contains(" fail: ", StringComparison.Ordinal) || line.StartsWith("fail: ", StringComparison.Ordinal)
        || line.Contains(" crit: ", StringComparison.Ordinal) || line.StartsWith("crit: ", StringComparison.Ordinal)
        || line.Contains("nhandled", StringComparison.Ordinal)
        || StackFrame().IsMatch(line);

    [GeneratedRegex(@"(^|\s)at [\w.`<>\[\]]+\(")]
    private static partial Regex StackFrame();
}
