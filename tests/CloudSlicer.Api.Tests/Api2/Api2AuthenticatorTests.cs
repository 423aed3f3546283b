using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Storage;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Api.Tests.Api2;

/// <summary>The authenticator against the real SQLite owner store, with requests signed by the independent test client.</summary>
public sealed class Api2AuthenticatorTests : IAsyncLifetime
{
    private const string BadSignature = "Bad signature: sig must be hex(HMAC-SHA256(api_key, msg)) over msg exactly as sent";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cloudslicer-api2-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(Api2Vectors.Timestamp));
    private readonly List<string> _secrets = [];
    private ServiceProvider _services = null!;
    private IOwnerStore _owners = null!;
    private OwnerCredentials _alice = null!;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSqliteStorage(Path.Combine(_directory, "cloudslicer.db"))
            .BuildServiceProvider();
        _owners = _services.GetRequiredService<IOwnerStore>();
        _alice = await AddOwnerAsync("alice");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Accepts_a_request_signed_like_the_python_helper_and_strips_the_envelope_keys()
    {
        var request = Client(_alice).Sign(new { id = "0dce9166be404672a7dd0d28d7257587", owner = "not-the-envelope", limit = 5 });

        var caller = await Authenticator().AuthenticateAsync(request.Msg, request.Sig, default);

        Assert.Equal(_alice.Owner, caller.Owner);
        Assert.Equal("{\"id\":\"0dce9166be404672a7dd0d28d7257587\",\"owner\":\"not-the-envelope\",\"limit\":5}", caller.Params.ToJsonString());
    }

    [Fact]
    public async Task Accepts_python2_line_breaks_signed_with_the_breaks()
    {
        var request = Client(_alice, c => c.Python2LineBreaks = true).Sign(new { desc = new string('x', 300) });
        Assert.Contains('\n', request.Msg);

        var caller = await Authenticator().AuthenticateAsync(request.Msg, request.Sig, default);

        Assert.Equal(new string('x', 300), caller.Params["desc"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rejects_a_python2_msg_whose_line_breaks_were_removed_after_signing()
    {
        var request = Client(_alice, c => c.Python2LineBreaks = true).Sign(new { desc = new string('x', 300) });

        await AssertRejectedAsync(request.Msg.Replace("\n", ""), request.Sig, BadSignature);
    }

    [Fact]
    public async Task Accepts_an_uppercase_signature()
    {
        var request = Client(_alice, c => c.UppercaseSignature = true).Sign();
        Assert.Equal(request.Sig.ToUpperInvariant(), request.Sig);

        Assert.Equal(_alice.Owner, (await Authenticator().AuthenticateAsync(request.Msg, request.Sig, default)).Owner);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(9)]
    public async Task Accepts_any_zlib_level(int level)
    {
        var request = Client(_alice, c => c.CompressionLevel = level).Sign(new { id = "x" });

        Assert.Equal("x", (await Authenticator().AuthenticateAsync(request.Msg, request.Sig, default)).Params["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rejects_an_unknown_owner()
    {
        var request = Client(new OwnerCredentials("0123456789abcdef0123456789abcdef", _alice.Secret)).Sign();

        await AssertRejectedAsync(request.Msg, request.Sig, "Unknown owner \"0123456789abcdef0123456789abcdef\": _owner must be the owner id");
    }

    [Fact]
    public async Task Rejects_a_signature_made_with_another_owners_key()
    {
        var bob = await AddOwnerAsync("bob");
        var request = Client(_alice with { Secret = bob.Secret }).Sign();

        await AssertRejectedAsync(request.Msg, request.Sig, BadSignature);
    }

    [Fact]
    public async Task A_disabled_key_no_longer_signs_while_another_enabled_key_still_does()
    {
        var second = (await _owners.AddKeyAsync(_alice.Owner, default))!;
        _secrets.Add(second.Secret);
        Assert.True(await _owners.DisableKeyAsync(_alice.Owner, _alice.Secret, default));

        var withDisabled = Client(_alice).Sign();
        var withEnabled = Client(second).Sign();

        await AssertRejectedAsync(withDisabled.Msg, withDisabled.Sig, BadSignature);
        Assert.Equal(_alice.Owner, (await Authenticator().AuthenticateAsync(withEnabled.Msg, withEnabled.Sig, default)).Owner);
    }

    [Fact]
    public async Task An_owner_whose_keys_are_all_disabled_is_told_the_same_as_an_unknown_owner()
    {
        Assert.True(await _owners.DisableKeyAsync(_alice.Owner, _alice.Secret, default));
        var request = Client(_alice).Sign();

        var error = await AssertRejectedAsync(request.Msg, request.Sig, "Unknown owner ");
        var unknown = Client(new OwnerCredentials("0123456789abcdef0123456789abcdef", _alice.Secret)).Sign();
        var unknownError = await AssertRejectedAsync(unknown.Msg, unknown.Sig, "Unknown owner ");
        Assert.Equal(unknownError.Replace("0123456789abcdef0123456789abcdef", _alice.Owner), error);
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(-300, true)]
    [InlineData(-299, true)]
    [InlineData(0, true)]
    [InlineData(299, true)]
    [InlineData(300, true)]
    public async Task Accepts_timestamps_only_within_the_clock_skew(int offsetSeconds, bool accepted)
    {
        var request = Client(_alice, c => c.TimestampOffset = TimeSpan.FromSeconds(offsetSeconds)).Sign();

        if (accepted)
        {
            Assert.Equal(_alice.Owner, (await Authenticator().AuthenticateAsync(request.Msg, request.Sig, default)).Owner);
        }
        else
        {
            await AssertRejectedAsync(request.Msg, request.Sig, $"_timestamp {Api2Vectors.Timestamp + offsetSeconds} is 301 s away from the server clock (allowed ±300 s)");
        }
    }

    [Fact]
    public async Task A_stale_timestamp_says_how_far_off_it_is_and_what_to_check()
    {
        var request = Client(_alice).Sign();
        _clock.Advance(TimeSpan.FromSeconds(12345));

        var error = await AssertRejectedAsync(request.Msg, request.Sig, "_timestamp");
        Assert.Equal("_timestamp 1700000000 is 12345 s away from the server clock (allowed ±300 s); check the client's clock", error);
    }

    [Fact]
    public async Task The_clock_skew_is_configurable()
    {
        var request = Client(_alice, c => c.TimestampOffset = TimeSpan.FromSeconds(11)).Sign();

        await AssertRejectedAsync(request.Msg, request.Sig, "_timestamp 1700000011 is 11 s away from the server clock (allowed ±10 s)", new Api2Options { ClockSkew = TimeSpan.FromSeconds(10) });
    }

    [Fact]
    public async Task Accepts_a_fractional_timestamp()
    {
        var (msg, sig) = SignRaw($"{{\"_owner\": \"{_alice.Owner}\", \"_timestamp\": 1700000000.75}}");

        Assert.Empty((await Authenticator().AuthenticateAsync(msg, sig, default)).Params);
    }

    [Fact]
    public async Task Checks_the_signature_before_the_timestamp()
    {
        var request = Client(_alice, c => c.TimestampOffset = TimeSpan.FromDays(-1)).Sign();

        await AssertRejectedAsync(request.Msg, Api2Vectors.Sig, BadSignature);
    }

    [Theory]
    [InlineData("{\"_timestamp\": 1700000000}", "msg has no _owner; add \"_owner\"")]
    [InlineData("{\"_owner\": 42, \"_timestamp\": 1700000000}", "_owner must be a string (your owner id), not 42")]
    [InlineData("{\"_owner\": null, \"_timestamp\": 1700000000}", "_owner must be a string (your owner id), not null")]
    [InlineData("{\"_owner\": [\"OWNER\"], \"_timestamp\": 1700000000}", "_owner must be a string (your owner id), not [")]
    [InlineData("{\"_owner\": \"OWNER\"}", "msg has no _timestamp; add \"_timestamp\": <Unix time in seconds>")]
    [InlineData("{\"_owner\": \"OWNER\", \"_timestamp\": \"1700000000\"}", "_timestamp must be a number (Unix time in seconds, e.g. int(time.time())), not \"1700000000\"")]
    [InlineData("{\"_owner\": \"OWNER\", \"_timestamp\": null}", "_timestamp must be a number")]
    [InlineData("{\"_owner\": \"OWNER\", \"_timestamp\": true}", "_timestamp must be a number")]
    [InlineData("{\"_owner\": \"OWNER\", \"_timestamp\": {}}", "_timestamp must be a number")]
    [InlineData("{\"_owner\": \"OWNER\", \"_timestamp\": 1e400}", "_timestamp must be a number")]
    public async Task Rejects_a_missing_or_mistyped_owner_or_timestamp(string json, string expected)
    {
        var (msg, sig) = SignRaw(json.Replace("OWNER", _alice.Owner));

        await AssertRejectedAsync(msg, sig, expected);
    }

    [Theory]
    [InlineData(null, null, "Missing msg and sig: send msg = base64(zlib(json)) and sig = hex(HMAC-SHA256(api_key, msg))")]
    [InlineData("", "", "Missing msg and sig")]
    [InlineData(null, "x", "Missing msg: ")]
    [InlineData("", "x", "Missing msg")]
    [InlineData(Api2Vectors.Msg, null, "Missing sig")]
    [InlineData(Api2Vectors.Msg, "", "Missing sig")]
    public async Task Rejects_a_missing_field(string? msg, string? sig, string expected)
    {
        await AssertRejectedAsync(msg, sig, expected);
    }

    [Fact]
    public async Task Rejects_an_oversized_msg_before_decoding_it()
    {
        await AssertRejectedAsync(new string('A', 8192), "x", "msg is longer than 4 KiB", new Api2Options { MaxMessageBytes = 4096 });
    }

    [Fact]
    public async Task Says_when_sig_is_not_even_hex()
    {
        var request = Client(_alice).Sign();

        await AssertRejectedAsync(request.Msg, request.Sig[..40], "Bad signature: sig is not 64 hex digits");
        await AssertRejectedAsync(request.Msg, "z" + request.Sig[1..], "Bad signature: sig is not 64 hex digits");
    }

    [Fact]
    public async Task Echoes_a_huge_owner_id_shortened()
    {
        var (msg, sig) = SignRaw($"{{\"_owner\": \"{new string('a', 10_000)}\", \"_timestamp\": 1700000000}}");

        var error = await AssertRejectedAsync(msg, sig, "Unknown owner \"aaaa");
        Assert.InRange(error.Length, 1, 400);
    }

    private Api2Authenticator Authenticator(Api2Options? options = null) =>
        new(_owners, _clock, Options.Create(options ?? new Api2Options()));

    private Api2Client Client(OwnerCredentials credentials, Action<Api2Client>? configure = null)
    {
        var client = new Api2Client(new HttpClient(), credentials.Owner, credentials.Secret)
        {
            Clock = () => _clock.GetUtcNow().ToUnixTimeSeconds(),
        };
        configure?.Invoke(client);
        return client;
    }

    // For envelopes the client cannot produce (it always sets _owner and _timestamp properly).
    private (string Msg, string Sig) SignRaw(string json)
    {
        var msg = Api2Encoding.Encode(JsonNode.Parse(json)!.AsObject());
        return (msg, Api2Signature.Compute(msg, _alice.Secret));
    }

    private async Task<string> AssertRejectedAsync(string? msg, string? sig, string expectedStart, Api2Options? options = null)
    {
        var error = await Assert.ThrowsAsync<Api2Exception>(() => Authenticator(options).AuthenticateAsync(msg, sig, default));
        Assert.StartsWith(expectedStart, error.Message);
        Assert.All(_secrets, secret => Assert.DoesNotContain(secret, error.Message));
        return error.Message;
    }

    private async Task<OwnerCredentials> AddOwnerAsync(string name)
    {
        var credentials = await _owners.AddOwnerAsync(name, default);
        _secrets.Add(credentials.Secret);
        return credentials;
    }
}
