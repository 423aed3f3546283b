using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// Hostile msg encodings and JSON shapes, signed with a valid key so they get past the signature and reach the
/// decoder and the handlers: each is refused (or, where it is legal, served) in the envelope, never with a 500.
/// </summary>
public sealed class Api2MessageProbes(Api2ProbeServer server) : IClassFixture<Api2ProbeServer>
{
    [Theory]
    [InlineData("zlib bomb", "inflates to more than 1 MiB")]
    [InlineData("gzip", "gzip data, not zlib")]
    [InlineData("raw deflate", "not zlib-compressed")]
    [InlineData("uncompressed json", "not zlib-compressed")]
    [InlineData("truncated zlib", "truncated")]
    [InlineData("zlib cut in half", "truncated")]
    [InlineData("bytes after the zlib stream", "followed by extra bytes")]
    [InlineData("a second zlib stream after the first", "followed by extra bytes")]
    [InlineData("not base64", "not valid base64")]
    [InlineData("url-safe base64", "not valid base64")]
    [InlineData("empty", "Missing msg")]
    [InlineData("whitespace only", "msg is empty")]
    [InlineData("random bytes", "not zlib-compressed")]
    [InlineData("not utf-8", "not UTF-8")]
    [InlineData("a json array", "not a JSON object")]
    [InlineData("a json string", "not a JSON object")]
    [InlineData("deeply nested", "depth")]
    [InlineData("trailing comma", "valid UTF-8 JSON")]
    [InlineData("comments", "valid UTF-8 JSON")]
    public async Task A_malformed_msg_is_refused_saying_which_step_failed(string probe, string expected)
    {
        var json = Api2Wire.Json(server.Alice.Owner);
        var zlib = Api2Wire.Zlib(json);
        var msg = probe switch
        {
            "zlib bomb" => Api2Wire.Msg(Api2Wire.ZlibBomb(64L << 20)),
            "gzip" => Api2Wire.Msg(Api2Wire.Gzip(json)),
            "raw deflate" => Api2Wire.Msg(Api2Wire.Deflate(json)),
            "uncompressed json" => Api2Wire.Msg(Encoding.UTF8.GetBytes(json)),
            "truncated zlib" => Api2Wire.Msg(zlib[..^3]),
            "zlib cut in half" => Api2Wire.Msg(zlib[..(zlib.Length / 2)]),
            "bytes after the zlib stream" => Api2Wire.Msg([.. zlib, 0, 1, 2, 3]),
            "a second zlib stream after the first" => Api2Wire.Msg([.. zlib, .. Api2Wire.Zlib("{\"limit\": 1}")]),
            "not base64" => "this is not base64!",
            "url-safe base64" => Api2Wire.Msg(zlib).Replace('+', '-').Replace('/', '_') + "-_",
            "empty" => "",
            "whitespace only" => " \n \t ",
            "random bytes" => Api2Wire.Msg(Enumerable.Range(0, 200).Select(i => (byte)((i * 37) + 11)).ToArray()),
            "not utf-8" => Api2Wire.Msg(ZlibBytes([.. "{\"desc\": \""u8, 0xff, 0xfe, .. "\", "u8, .. Encoding.UTF8.GetBytes(json[1..])])),
            "a json array" => Api2Wire.Msg(Api2Wire.Zlib("[1, 2]")),
            "a json string" => Api2Wire.Msg(Api2Wire.Zlib("\"_owner\"")),
            "deeply nested" => Api2Wire.Msg(Api2Wire.Zlib(Api2Wire.Json(server.Alice.Owner, $"\"args\": {string.Concat(Enumerable.Repeat("{\"a\": ", 10_000))}1{new string('}', 10_000)}"))),
            "trailing comma" => Api2Wire.Msg(Api2Wire.Zlib(json[..^1] + ", }")),
            "comments" => Api2Wire.Msg(Api2Wire.Zlib("/* hi */ " + json)),
            _ => throw new ArgumentException(probe),
        };

        var body = await Api2ProbeServer.EnvelopeAsync(await PostAsync("/api2/cloudslicer/jobs/list", msg, Api2Wire.Sig(msg, server.Alice.Secret)), 1, expected);
        Assert.InRange(body.ToJsonString().Length, 1, 2000);
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Theory]
    [InlineData("/api2/cloudslicer/jobs/get", "\"id\": \"\\ud800\"")]
    [InlineData("/api2/cloudslicer/jobs/get", "\"\\udfff\": 1, \"id\": \"x\"")]
    [InlineData("/api2/cloudslicer/jobs/create", "\"source\": {\"url\": \"https://media.example/\\ud83d.mp4\"}")]
    [InlineData("/api2/cloudslicer/jobs/delete", "\"ids\": [\"\\udc00\\ud800\"]")]
    public async Task A_lone_surrogate_escape_is_a_client_error(string path, string members)
    {
        var msg = Api2Wire.Msg(Api2Wire.Zlib(Api2Wire.Json(server.Alice.Owner, members)));

        await Api2ProbeServer.EnvelopeAsync(await PostAsync(path, msg, Api2Wire.Sig(msg, server.Alice.Secret)), 1, "surrogate");
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Theory]
    [InlineData(20)]
    [InlineData(40)]
    [InlineData(61)]
    public async Task Args_nested_up_to_the_parsers_limit_are_refused_by_name_and_the_owners_list_keeps_working(int depth)
    {
        // Every setting takes a string or a number now, so nested JSON never reaches the store; it used to be
        // stored and then break the owner's jobs/list.
        var meta = string.Concat(Enumerable.Repeat("{\"a\": ", depth)) + "1" + new string('}', depth);
        var members = $"\"source\": {{\"url\": \"https://media.example/v.mp4\"}}, \"args\": {{\"meta\": {meta}}}";
        var msg = Api2Wire.Msg(Api2Wire.Zlib(Api2Wire.Json(server.Alice.Owner, members)));

        using var response = await PostAsync("/api2/cloudslicer/jobs/create", msg, Api2Wire.Sig(msg, server.Alice.Secret));
        await Api2ProbeServer.EnvelopeAsync(response, 1, "meta");
        var list = server.Alice.Sign();
        var listed = await ReadDeepAsync(await server.Alice.SendRawAsync("/api2/cloudslicer/jobs/list", list.Msg, list.Sig));

        Assert.NotNull(listed["jobs"]);
        await server.AssertNothingFailedInTheLogAsync();
    }

    private static async Task<JsonNode> ReadDeepAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            var body = JsonNode.Parse(text, documentOptions: new() { MaxDepth = 256 })!;
            Assert.True(body["error"]!.GetValue<int>() == 0, text);
            return body;
        }
    }

    private static byte[] ZlibBytes(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    private Task<HttpResponseMessage> PostAsync(string path, string msg, string sig)
    {
        var content = new StringContent(Api2Wire.Form(msg, sig), Encoding.ASCII);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return server.Http.PostAsync(path, content);
    }
}
