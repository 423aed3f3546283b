using System.Net.Http.Headers;
using System.Text;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// The signature, owner and timestamp checks of the review, replayed against the real server: every forged,
/// mistyped or stale request gets the error envelope, names what was wrong, and leaves nothing failed in the log.
/// </summary>
public sealed class Api2SignatureProbes(Api2ProbeServer server) : IClassFixture<Api2ProbeServer>
{
    private const string List = "/api2/cloudslicer/jobs/list";

    [Theory]
    [InlineData("another key", "Bad signature: sig must be hex")]
    [InlineData("another msg", "Bad signature: sig must be hex")]
    [InlineData("63 digits", "sig is not 64 hex digits")]
    [InlineData("32 digits", "sig is not 64 hex digits")]
    [InlineData("66 digits", "sig is not 64 hex digits")]
    [InlineData("not hex", "sig is not 64 hex digits")]
    [InlineData("spaces", "sig is not 64 hex digits")]
    [InlineData("empty", "Missing sig")]
    [InlineData("alice signs as bob", "Bad signature")]
    [InlineData("alice signs as nobody", "Unknown owner")]
    [InlineData("bob signs as alice", "Bad signature")]
    public async Task A_request_not_signed_with_the_owners_key_is_refused(string probe, string expected)
    {
        var alice = server.Alice;
        var msg = Api2Wire.Msg(Api2Wire.Zlib(Api2Wire.Json(alice.Owner)));
        var good = Api2Wire.Sig(msg, alice.Secret);
        (msg, var sig) = probe switch
        {
            "another key" => (msg, Api2Wire.Sig(msg, "not-the-key")),
            "another msg" => (msg, Api2Wire.Sig(Api2Wire.Msg(Api2Wire.Zlib(Api2Wire.Json(alice.Owner, "\"limit\": 1"))), alice.Secret)),
            "63 digits" => (msg, good[..63]),
            "32 digits" => (msg, good[..32]),
            "66 digits" => (msg, good + "00"),
            "not hex" => (msg, "zz" + good[2..]),
            "spaces" => (msg, good[..32] + new string(' ', 32)),
            "empty" => (msg, ""),
            "alice signs as bob" => Signed(Api2Wire.Json(server.Bob.Owner), alice.Secret),
            "alice signs as nobody" => Signed(Api2Wire.Json(new string('0', 32)), alice.Secret),
            "bob signs as alice" => Signed(Api2Wire.Json(alice.Owner), server.Bob.Secret),
            _ => throw new ArgumentException(probe),
        };

        await Api2ProbeServer.EnvelopeAsync(await PostAsync(msg, sig), 1, expected);
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Theory]
    [InlineData("301 s ahead", "away from the server clock")]
    [InlineData("301 s behind", "away from the server clock")]
    [InlineData("a year behind", "away from the server clock")]
    [InlineData("1e308", "away from the server clock")]
    [InlineData("-1e308", "away from the server clock")]
    [InlineData("\"1700000000\"", "_timestamp must be a number")]
    [InlineData("\"\"", "_timestamp must be a number")]
    [InlineData("null", "_timestamp must be a number")]
    [InlineData("true", "_timestamp must be a number")]
    [InlineData("false", "_timestamp must be a number")]
    [InlineData("[1700000000]", "_timestamp must be a number")]
    [InlineData("{\"t\": 1700000000}", "_timestamp must be a number")]
    [InlineData("1e999", "_timestamp must be a number")]
    [InlineData("-1e999", "_timestamp must be a number")]
    [InlineData("NaN", "not inflate to valid UTF-8 JSON")]
    [InlineData("Infinity", "not inflate to valid UTF-8 JSON")]
    [InlineData("0x65", "not inflate to valid UTF-8 JSON")]
    [InlineData("missing", "msg has no _timestamp")]
    public async Task A_timestamp_outside_the_window_or_of_the_wrong_type_is_refused(string timestamp, string expected)
    {
        var owner = server.Alice.Owner;
        // _timestamp is whole seconds and the server reads its clock when the request arrives: stamping "ahead"
        // two seconds further keeps it over 301 s ahead whatever the fraction and the time in transit (< 1 s).
        var json = timestamp switch
        {
            "301 s ahead" => Api2Wire.Json(owner, timestamp: Api2Wire.Now + 303),
            "301 s behind" => Api2Wire.Json(owner, timestamp: Api2Wire.Now - 301),
            "a year behind" => Api2Wire.Json(owner, timestamp: Api2Wire.Now - (365 * 86400)),
            "missing" => $"{{\"_owner\": \"{owner}\"}}",
            _ => $"{{\"_owner\": \"{owner}\", \"_timestamp\": {timestamp}}}",
        };

        var (msg, sig) = Signed(json, server.Alice.Secret);
        await Api2ProbeServer.EnvelopeAsync(await PostAsync(msg, sig), 1, expected);
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Fact]
    public async Task A_timestamp_well_inside_the_window_either_way_is_accepted()
    {
        foreach (var offset in new[] { -290, 290 })
        {
            var (msg, sig) = Signed(Api2Wire.Json(server.Alice.Owner, timestamp: Api2Wire.Now + offset), server.Alice.Secret);
            await Api2ProbeServer.EnvelopeAsync(await PostAsync(msg, sig), 0);
        }
    }

    [Theory]
    [InlineData("alice then bob", "Duplicate")]
    [InlineData("bob then alice", "Duplicate")]
    [InlineData("alice twice", "Duplicate")]
    [InlineData("two timestamps", "Duplicate")]
    public async Task A_msg_with_a_repeated_envelope_key_is_refused(string probe, string expected)
    {
        var (alice, bob, now) = (server.Alice.Owner, server.Bob.Owner, Api2Wire.Now);
        var json = probe switch
        {
            "alice then bob" => $"{{\"_owner\": \"{alice}\", \"_owner\": \"{bob}\", \"_timestamp\": {now}}}",
            "bob then alice" => $"{{\"_owner\": \"{bob}\", \"_owner\": \"{alice}\", \"_timestamp\": {now}}}",
            "alice twice" => $"{{\"_owner\": \"{alice}\", \"_owner\": \"{alice}\", \"_timestamp\": {now}}}",
            "two timestamps" => $"{{\"_owner\": \"{alice}\", \"_timestamp\": 1, \"_timestamp\": {now}}}",
            _ => throw new ArgumentException(probe),
        };

        // Signed by Alice: whichever _owner a lenient parser kept, the server must not pick one.
        var (msg, sig) = Signed(json, server.Alice.Secret);
        await Api2ProbeServer.EnvelopeAsync(await PostAsync(msg, sig), 1, expected);
        await server.AssertNothingFailedInTheLogAsync();
    }

    [Fact]
    public async Task A_disabled_key_stops_signing_at_once_and_an_owner_with_none_left_is_unknown()
    {
        var carol = await server.Owners.AddOwnerAsync("carol", default);
        var second = (await server.Owners.AddKeyAsync(carol.Owner, default))!;
        var withFirst = new CloudSlicer.Testing.Api2Client(server.Http, carol.Owner, carol.Secret);
        var withSecond = new CloudSlicer.Testing.Api2Client(server.Http, carol.Owner, second.Secret);
        Api2ProbeServer.Envelope((await withFirst.CallAsync(List)).ToJsonString(), 0);
        Api2ProbeServer.Envelope((await withSecond.CallAsync(List)).ToJsonString(), 0);

        Assert.True(await server.Owners.DisableKeyAsync(carol.Owner, carol.Secret, default));
        Api2ProbeServer.Envelope((await withFirst.CallAsync(List)).ToJsonString(), 1, "Bad signature");
        Api2ProbeServer.Envelope((await withSecond.CallAsync(List)).ToJsonString(), 0);

        Assert.True(await server.Owners.DisableKeyAsync(carol.Owner, second.Secret, default));
        Api2ProbeServer.Envelope((await withFirst.CallAsync(List)).ToJsonString(), 1, "Unknown owner");
        Api2ProbeServer.Envelope((await withSecond.CallAsync(List)).ToJsonString(), 1, "Unknown owner");
        await server.AssertNothingFailedInTheLogAsync();
    }

    private static (string Msg, string Sig) Signed(string json, string key)
    {
        var msg = Api2Wire.Msg(Api2Wire.Zlib(json));
        return (msg, Api2Wire.Sig(msg, key));
    }

    private Task<HttpResponseMessage> PostAsync(string msg, string sig)
    {
        var content = new StringContent(Api2Wire.Form(msg, sig), Encoding.ASCII);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return server.Http.PostAsync(List, content);
    }
}
