using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudSlicer.Api.Tests.Http;

/// <summary>Whatever arrives at the api2 endpoints gets a clear answer in the envelope, and nothing crashes.</summary>
public sealed class HostileRequestTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonObject Body)> ReadAsync(HttpResponseMessage response) =>
        (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());

    [Theory]
    [InlineData("", "msg and sig")]
    [InlineData("foo=bar", "msg and sig")]
    [InlineData("msg=abc", "sig")]
    [InlineData("sig=abc", "msg")]
    [InlineData("msg=%%%&sig=zz", "")]
    [InlineData("msg=!!!!&sig=00", "base64")]
    [InlineData("msg=aGVsbG8=&sig=00", "zlib")]
    public async Task Malformed_forms_get_an_error_envelope(string form, string fragment)
    {
        using var content = new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded");
        var (status, body) = await ReadAsync(await _server.Http.PostAsync("/api2/cloudslicer/jobs/list", content));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body["error"]!.GetValue<int>());
        Assert.Contains(fragment, body["msg"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_json_body_is_refused_with_how_to_send_the_fields()
    {
        using var content = new StringContent("""{"msg": "x", "sig": "y"}""", Encoding.UTF8, "application/json");
        var (status, body) = await ReadAsync(await _server.Http.PostAsync("/api2/cloudslicer/jobs/get", content));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("application/x-www-form-urlencoded", body["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_refused()
    {
        var form = "msg=" + new string('A', 1_100_000) + "&sig=00";
        using var content = new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded");
        var (status, body) = await ReadAsync(await _server.Http.PostAsync("/api2/cloudslicer/jobs/create", content));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(1, body["error"]!.GetValue<int>());
        Assert.Contains("1 MiB", body["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_api2_paths_answer_in_the_envelope()
    {
        var (status, body) = await ReadAsync(await _server.Http.PostAsync("/api2/cloudslicer/jobs/explode", null));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body["error"]!.GetValue<int>());
        Assert.Contains("not an endpoint", body["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/API2/cloudslicer/jobs/list")]
    [InlineData("/Api2/CloudSlicer/Jobs/List")]
    [InlineData("/api2/CLOUDSLICER/jobs/get")]
    [InlineData("/api2/cloudslicer/JOBS/CREATE")]
    public async Task Every_casing_of_a_jobs_path_still_requires_a_signature(string path)
    {
        var (status, body) = await ReadAsync(await _server.Http.PostAsync(path, null));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body["error"]!.GetValue<int>());
        Assert.Contains("msg and sig", body["msg"]!.GetValue<string>(), StringComparison.Ordinal);

        var client = await _server.NewOwnerClientAsync();
        // Signed, the same spelling reaches the handler: list answers, get and create ask for their parameters.
        var signed = await client.CallAsync(path);
        Assert.True(
            signed["error"]!.GetValue<int>() == 0 || signed["msg"]!.GetValue<string>().StartsWith("Missing parameter", StringComparison.Ordinal),
            signed.ToJsonString());
    }

    [Fact]
    public async Task A_form_with_ten_thousand_fields_is_a_client_error_saying_so()
    {
        var form = string.Join('&', Enumerable.Range(0, 10_000).Select(i => $"f{i}=x")) + "&msg=abc&sig=00";
        using var content = new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded");
        var (status, body) = await ReadAsync(await _server.Http.PostAsync("/api2/cloudslicer/jobs/list", content));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body["error"]!.GetValue<int>());
        var msg = body["msg"]!.GetValue<string>();
        Assert.DoesNotContain("Internal error", msg, StringComparison.Ordinal);
        Assert.Contains("1024", msg, StringComparison.Ordinal);
        Assert.Contains("msg and sig", msg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("multipart/form-data", "--x\r\n")]
    [InlineData("multipart/form-data; boundary=x", "not multipart at all")]
    [InlineData("application/x-www-form-urlencoded; charset=no-such-charset", "msg=abc&sig=00")]
    public async Task Unreadable_forms_are_client_errors(string contentType, string form)
    {
        using var content = new StringContent(form, Encoding.ASCII);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var (status, body) = await ReadAsync(await _server.Http.PostAsync("/api2/cloudslicer/jobs/list", content));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body["error"]!.GetValue<int>());
        Assert.DoesNotContain("Internal error", body["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api2_and_content_responses_say_nosniff()
    {
        using var api = await _server.Http.PostAsync("/api2/cloudslicer/jobs/list", null);
        using var content = await _server.Http.GetAsync("/0dce9166be404672a7dd0d28d7257587.m3u8");
        Assert.Equal(["nosniff"], api.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["nosniff"], content.Headers.GetValues("X-Content-Type-Options"));
    }

    [Fact]
    public async Task Content_paths_that_are_not_assets_are_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/0dce9166be404672a7dd0d28d7257587.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/not-an-asset.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/0dce9166be404672a7dd0d28d7257587/%2e%2e/%2e%2e/cloudslicer.db")).StatusCode);
    }
}
