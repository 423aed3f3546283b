using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// What arrives around the signed fields: oversized and odd bodies, query strings, form shapes, path
/// spellings and methods, and huge ids. Client faults are answered as such, never as an internal error.
/// </summary>
public sealed class Api2TransportProbes(Api2ProbeServer server) : IClassFixture<Api2ProbeServer>
{
    private const string List = "/api2/cloudslicer/jobs/list";

    [Theory]
    [InlineData("2 MiB with Content-Length")]
    [InlineData("2 MiB chunked")]
    public async Task A_body_over_1_MiB_is_refused_with_413_in_the_envelope(string probe)
    {
        var form = Encoding.ASCII.GetBytes("msg=" + new string('A', 2 << 20) + "&sig=00");

        var response = await Api2RawHttp.SendAsync(
            server.Server.Url, "POST", "/api2/cloudslicer/jobs/create", form, "application/x-www-form-urlencoded", chunked: probe == "2 MiB chunked");

        Assert.True(response.Status == (int)HttpStatusCode.RequestEntityTooLarge, response.ToString());
        Api2ProbeServer.Envelope(response.Body, 1, "1 MiB");
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Fact]
    public async Task A_200_KB_query_string_is_refused_before_it_reaches_the_api()
    {
        var target = $"{List}?msg={new string('A', 200_000)}&sig=00";

        var response = await Api2RawHttp.SendAsync(server.Server.Url, "GET", target);

        Assert.Equal((int)HttpStatusCode.RequestUriTooLong, response.Status);
        Assert.DoesNotContain("Exception", response.Body, StringComparison.Ordinal);
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Fact]
    public async Task A_query_string_of_many_fields_is_read_like_any_other()
    {
        var signed = server.Alice.Sign();
        var junk = string.Concat(Enumerable.Range(0, 1000).Select(i => $"f{i}=&"));
        using var response = await server.Http.GetAsync($"{List}?{junk}msg={Uri.EscapeDataString(signed.Msg)}&sig={signed.Sig}");

        await Api2ProbeServer.EnvelopeAsync(response, 0);
        using var unsigned = await server.Http.GetAsync($"{List}?{junk}");
        await Api2ProbeServer.EnvelopeAsync(unsigned, 1, "Send msg and sig");
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Theory]
    [InlineData("10,000 fields", "application/x-www-form-urlencoded", "1024")]
    [InlineData("a 3 KB field name", "application/x-www-form-urlencoded", "msg and sig")]
    [InlineData("multipart without a boundary", "multipart/form-data", "msg and sig")]
    [InlineData("multipart that is not", "multipart/form-data; boundary=zzz", "msg and sig")]
    [InlineData("an unknown charset", "application/x-www-form-urlencoded; charset=klingon", "not valid base64")]
    [InlineData("json", "application/json", "msg and sig")]
    [InlineData("no content type", null, "msg and sig")]
    public async Task A_form_the_server_cannot_use_is_a_client_error(string probe, string? contentType, string expected)
    {
        var body = probe switch
        {
            "10,000 fields" => string.Join('&', Enumerable.Range(0, 10_000).Select(i => $"f{i}=x")) + "&msg=a&sig=b",
            "a 3 KB field name" => new string('k', 3000) + "=1&msg=a&sig=b",
            "multipart without a boundary" => "--\r\n",
            "multipart that is not" => "msg=a&sig=b",
            "an unknown charset" => "msg=a&sig=b",
            "json" => "{\"msg\": \"a\", \"sig\": \"b\"}",
            "no content type" => "msg=a&sig=b",
            _ => throw new ArgumentException(probe),
        };

        var response = await Api2RawHttp.SendAsync(server.Server.Url, "POST", List, Encoding.ASCII.GetBytes(body), contentType);

        Assert.True(response.Status == 200, response.ToString());
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Api2ProbeServer.Envelope(response.Body, 1, expected);
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Theory]
    [InlineData("/API2/cloudslicer/jobs/list")]
    [InlineData("/api2/CloudSlicer/jobs/list")]
    [InlineData("/api2/cloudslicer/Jobs/List")]
    [InlineData("/API2/CLOUDSLICER/JOBS/LIST")]
    [InlineData("/Api2/CloudSlicer/Jobs/Get")]
    [InlineData("/api2/cloudslicer/jobs/LIST/")]
    [InlineData("/api2/cloudslicer//jobs/list")]
    [InlineData("/api2/cloudslicer/jobs/list%2F")]
    [InlineData("/api2/cloudslicer/./jobs/list")]
    [InlineData("/api2/x/../cloudslicer/jobs/list")]
    [InlineData("/api2/cloudslicer/jobs/%6Cist")]
    [InlineData("/API2/ASSET/GET")]
    [InlineData("/API2/LIBRARY/LIST")]
    public async Task No_spelling_of_an_api2_path_answers_without_a_signature(string path)
    {
        foreach (var method in new[] { "POST", "GET", "PUT", "DELETE", "PATCH" })
        {
            var unsigned = await Api2RawHttp.SendAsync(server.Server.Url, method, path, method is "GET" ? null : [], "application/x-www-form-urlencoded");
            Assert.True(unsigned.Status == 200, $"{method} {path}: {unsigned}");
            Api2ProbeServer.Envelope(unsigned.Body, 1);

            var forged = server.Bob.Sign();
            var badSig = await Api2RawHttp.SendAsync(
                server.Server.Url, method, method is "GET" ? $"{path}?{Api2Wire.Form(forged.Msg, new string('0', 64))}" : path,
                method is "GET" ? null : Encoding.ASCII.GetBytes(Api2Wire.Form(forged.Msg, new string('0', 64))),
                "application/x-www-form-urlencoded");
            Assert.True(badSig.Status == 200, $"{method} {path}: {badSig}");
            var body = Api2ProbeServer.Envelope(badSig.Body, 1);
            Assert.DoesNotContain("jobs", body.Select(p => p.Key));
        }

        await server.AssertNothingFailedInTheLogAsync();
    }

    [Fact]
    public async Task A_100000_character_id_never_comes_back_whole()
    {
        var id = new string('f', 100_000);
        foreach (var (path, parameters) in new (string, object)[]
        {
            ("/api2/cloudslicer/jobs/get", new { id }),
            ("/api2/cloudslicer/jobs/cancel", new { id }),
            ("/api2/cloudslicer/jobs/delete", new { ids = new[] { id, id } }),
            ("/api2/cloudslicer/jobs/get", new { id = new[] { id } }),
            ("/api2/cloudslicer/jobs/list", new { limit = id, skip = id }),
        })
        {
            var response = await server.Alice.CallAsync(path, parameters);
            Assert.InRange(response.ToJsonString().Length, 1, 1000);
            Assert.Contains("ffff", response.ToJsonString(), StringComparison.Ordinal);
        }

        await server.AssertNothingFailedInTheLogAsync();
    }

    [Fact]
    public async Task Api2_answers_carry_nosniff()
    {
        var response = await server.Alice.SendRawAsync(List, null, null);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Api2ProbeServer.Envelope(await response.Content.ReadAsStringAsync(), 1, "Missing msg and sig");
        var ok = await server.Alice.CallAsync(List);
        Assert.IsType<JsonArray>(ok["jobs"]);
    }
}
