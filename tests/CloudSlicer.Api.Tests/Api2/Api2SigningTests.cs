using System.Net;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Storage;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Api.Tests.Api2;

/// <summary>
/// Signing belongs to the api2 route groups, not to a spelling of their prefix: routing ignores case, so
/// every casing of a signed path must reach the signature check, and a group mapped later is signed by construction.
/// </summary>
public sealed class Api2SigningTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloudslicer-signing-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private OwnerCredentials _alice = null!;

    public async Task InitializeAsync()
    {
        _app = Build(app =>
        {
            // A group as the asset and library APIs will map theirs: nothing but the helper makes it signed.
            app.MapApi2Group("/api2/probe").MapMethods("/whoami", [HttpMethods.Get, HttpMethods.Post], (Api2Request request) =>
                Api2Results.Ok(new JsonObject { ["owner"] = request.Owner }));
            app.MapUnknownApi2();
        });
        await _app.StartAsync();
        _http = _app.GetTestClient();
        _alice = await _app.Services.GetRequiredService<IOwnerStore>().AddOwnerAsync("alice", default);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("/api2/probe/whoami")]
    [InlineData("/API2/probe/whoami")]
    [InlineData("/Api2/Probe/WhoAmI")]
    [InlineData("/api2/PROBE/WHOAMI")]
    public async Task Every_casing_of_a_group_path_is_refused_unsigned_in_the_envelope(string path)
    {
        foreach (var response in new[] { await _http.PostAsync(path, null), await _http.GetAsync(path) })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(1, body["error"]!.GetValue<int>());
            Assert.Contains("msg and sig", body["msg"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("/API2/probe/whoami")]
    [InlineData("/Api2/Probe/WhoAmI")]
    public async Task Every_casing_of_a_group_path_verifies_a_signed_call(string path)
    {
        var signed = await new Api2Client(_http, _alice.Owner, _alice.Secret).CallAsync(path);
        Assert.Equal(0, signed["error"]!.GetValue<int>());
        Assert.Equal(_alice.Owner, signed["owner"]!.GetValue<string>());

        var forged = await new Api2Client(_http, _alice.Owner, "not-the-key").CallAsync(path);
        Assert.StartsWith("Bad signature", forged["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_api2_path_in_any_casing_answers_the_envelope_without_a_signature()
    {
        var body = JsonNode.Parse(await (await _http.PostAsync("/API2/Nowhere/At/All", null)).Content.ReadAsStringAsync())!;
        Assert.Equal(1, body["error"]!.GetValue<int>());
        Assert.Contains("not an endpoint", body["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_handler_binding_Api2Request_outside_an_api2_group_stops_the_server_from_starting()
    {
        await using var app = Build(app => app.MapPost("/api2/stray", (Api2Request request) => Results.Ok()));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("/api2/stray", error.Message);
        Assert.Contains("MapApi2Group", error.Message);
    }

    private WebApplication Build(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSqliteStorage(Path.Combine(_directory, "cloudslicer.db"));
        builder.Services.AddSingleton(Options.Create(new Api2Options()));
        builder.Services.AddSingleton<Api2Authenticator>();
        var app = builder.Build();
        app.UseApi2Signing();
        map(app);
        return app;
    }
}
