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
/// The test client through a real HTTP pipeline (form and query parsing) into the real authenticator and
/// SQLite owner store. The echo endpoint reports the fields exactly as the server received them.
/// </summary>
public sealed class Api2ClientTests : IAsyncLifetime
{
    private const string Echo = "/api2/test/echo";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloudslicer-api2-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(Api2Vectors.Timestamp));
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private OwnerCredentials _alice = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddSqliteStorage(Path.Combine(_directory, "cloudslicer.db"));
        builder.Services.AddSingleton(Options.Create(new Api2Options()));
        builder.Services.AddSingleton<Api2Authenticator>();
        _app = builder.Build();
        _app.MapMethods(Echo, [HttpMethods.Get, HttpMethods.Post], EchoAsync);
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
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sends_the_design_test_vector_byte_for_byte(bool useGet)
    {
        var client = new Api2Client(_http, Api2Vectors.Owner, Api2Vectors.Key) { Clock = () => Api2Vectors.Timestamp, UseGet = useGet };

        var echo = await client.CallAsync(Echo, new { id = "0dce9166be404672a7dd0d28d7257587" });

        Assert.Equal(Api2Vectors.Msg, echo["received_msg"]!.GetValue<string>());
        Assert.Equal(Api2Vectors.Sig, echo["received_sig"]!.GetValue<string>());
        Assert.Equal(useGet ? "GET" : "POST", echo["method"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Round_trips_parameters_through_post_and_get(bool useGet)
    {
        var parameters = new JsonObject
        {
            ["source"] = new JsonObject { ["url"] = "https://media.example.com/a+b/ünïcode 😀.mp4?x=1&y=2" },
            ["args"] = new JsonObject { ["trim"] = "1000,60000", ["meta_int"] = new JsonArray(1, 2.5, true, null) },
        };

        var echo = await Client(c => c.UseGet = useGet).CallAsync(Echo, parameters);

        Assert.Equal(0, echo["error"]!.GetValue<int>());
        Assert.Equal(_alice.Owner, echo["owner"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(parameters, echo["params"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Python2_line_breaks_arrive_intact_and_verify(bool useGet)
    {
        var echo = await Client(c => { c.Python2LineBreaks = true; c.UseGet = useGet; }).CallAsync(Echo, new { desc = new string('x', 300) });

        Assert.Equal(0, echo["error"]!.GetValue<int>());
        Assert.EndsWith("\n", echo["received_msg"]!.GetValue<string>());
        Assert.Contains('\n', echo["received_msg"]!.GetValue<string>().TrimEnd('\n'));
    }

    [Fact]
    public async Task Uppercase_signatures_and_every_zlib_level_verify()
    {
        for (var level = 0; level <= 9; level++)
        {
            var echo = await Client(c => { c.UppercaseSignature = true; c.CompressionLevel = level; }).CallAsync(Echo, new { level });

            Assert.Equal(0, echo["error"]!.GetValue<int>());
            Assert.Equal(level, echo["params"]!["level"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task A_timestamp_offset_steps_outside_the_window()
    {
        var late = await Client(c => c.TimestampOffset = TimeSpan.FromSeconds(301)).CallAsync(Echo);
        var early = await Client(c => c.TimestampOffset = TimeSpan.FromSeconds(-299)).CallAsync(Echo);

        Assert.Equal(1, late["error"]!.GetValue<int>());
        Assert.StartsWith("_timestamp 1700000301 is 301 s away", late["msg"]!.GetValue<string>());
        Assert.Equal(0, early["error"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_unencoded_plus_arrives_as_a_space_and_the_error_says_to_url_encode()
    {
        Assert.Contains('+', Api2Vectors.Msg);
        using var response = await Client().SendRawFormAsync(Echo, $"msg={Api2Vectors.Msg}&sig={Api2Vectors.Sig}");
        var echo = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(Api2Vectors.Msg.Replace('+', ' '), echo["received_msg"]!.GetValue<string>());
        Assert.Contains("URL-encode msg", echo["msg"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false, true, "Missing msg")]
    [InlineData(true, false, "Missing sig")]
    [InlineData(false, false, "Missing msg and sig")]
    public async Task Raw_sends_can_leave_fields_out(bool sendMsg, bool sendSig, string expected)
    {
        var signed = Client().Sign();
        using var response = await Client().SendRawAsync(Echo, sendMsg ? signed.Msg : null, sendSig ? signed.Sig : null);
        var echo = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.StartsWith(expected, echo["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Call_reports_a_transport_failure_with_its_status()
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Client().CallAsync("/api2/test/nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("HTTP 404", error.Message);
    }

    private Api2Client Client(Action<Api2Client>? configure = null)
    {
        var client = new Api2Client(_http, _alice.Owner, _alice.Secret) { Clock = () => _clock.GetUtcNow().ToUnixTimeSeconds() };
        configure?.Invoke(client);
        return client;
    }

    private static async Task<IResult> EchoAsync(HttpContext http, Api2Authenticator authenticator)
    {
        var fields = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
        string? msg = fields is null ? http.Request.Query["msg"] : fields["msg"];
        string? sig = fields is null ? http.Request.Query["sig"] : fields["sig"];
        var body = new JsonObject { ["method"] = http.Request.Method, ["received_msg"] = msg, ["received_sig"] = sig };
        try
        {
            var caller = await authenticator.AuthenticateAsync(msg, sig, http.RequestAborted);
            body["error"] = 0;
            body["owner"] = caller.Owner;
            body["params"] = caller.Params;
        }
        catch (Api2Exception ex)
        {
            body["error"] = 1;
            body["msg"] = ex.Message;
        }

        return Results.Text(body.ToJsonString(), "application/json");
    }
}
