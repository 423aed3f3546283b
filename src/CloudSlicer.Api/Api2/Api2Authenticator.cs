using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Storage.Owners;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Api.Api2;

/// <summary>A verified api2 caller: the owner whose key signed the request, and its parameters without <c>_owner</c>/<c>_timestamp</c>.</summary>
public sealed record Api2Caller(string Owner, JsonObject Params);

/// <summary>
/// Verifies a signed api2 request: decodes <c>msg</c>, finds the owner's enabled keys, checks the signature
/// against each, then the timestamp window. Every refusal is an <see cref="Api2Exception"/> whose message the
/// endpoint layer returns to the client; messages name the problem and the fix, never a key.
/// </summary>
public sealed class Api2Authenticator(IOwnerStore owners, TimeProvider clock, IOptions<Api2Options> options)
{
    private const string OwnerField = "_owner";
    private const string TimestampField = "_timestamp";
    private const string SigShape = "sig must be hex(HMAC-SHA256(api_key, msg)) over msg exactly as sent";

    private readonly Api2Options _options = options.Value;

    public async Task<Api2Caller> AuthenticateAsync(string? msg, string? sig, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(msg))
        {
            var missing = string.IsNullOrEmpty(sig) ? "msg and sig" : "msg";
            throw new Api2Exception($"Missing {missing}: send msg = base64(zlib(json)) and sig = hex(HMAC-SHA256(api_key, msg)) as form fields (POST) or query parameters (GET)");
        }

        if (string.IsNullOrEmpty(sig))
        {
            throw new Api2Exception($"Missing sig: {SigShape}");
        }

        // Decode checks the msg length cap before doing any work on the text.
        var message = Api2Message.Decode(msg, _options.MaxMessageBytes);
        var owner = ReadOwner(message);
        var timestamp = ReadTimestamp(message);

        var keys = await owners.GetEnabledKeysAsync(owner, cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            // Same words for "no such owner" and "owner whose keys are all disabled": neither says which keys exist.
            throw new Api2Exception($"Unknown owner {Echo(owner)}: _owner must be the owner id printed by 'cloudslicer owner add', and the request must be signed with one of its enabled API keys");
        }

        // Every key is tried even after a match, so timing does not reveal which of an owner's keys signed.
        var matched = false;
        foreach (var key in keys)
        {
            matched |= Api2Signature.Matches(msg, sig, key);
        }

        if (!matched)
        {
            throw new Api2Exception(Api2Signature.IsWellFormed(sig)
                ? $"Bad signature: {SigShape}"
                : $"Bad signature: sig is not 64 hex digits; {SigShape}");
        }

        CheckWindow(timestamp, message[TimestampField]!);

        message.Remove(OwnerField);
        message.Remove(TimestampField);
        return new Api2Caller(owner, message);
    }

    private static string ReadOwner(JsonObject message) => message[OwnerField] switch
    {
        null when !message.ContainsKey(OwnerField) => throw new Api2Exception($"msg has no {OwnerField}; add \"{OwnerField}\": \"<your owner id>\" to the JSON before compressing"),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        var other => throw new Api2Exception($"{OwnerField} must be a string (your owner id), not {Json(other)}"),
    };

    private static double ReadTimestamp(JsonObject message)
    {
        var node = message[TimestampField];
        if (node is null && !message.ContainsKey(TimestampField))
        {
            throw new Api2Exception($"msg has no {TimestampField}; add \"{TimestampField}\": <Unix time in seconds> to the JSON before compressing");
        }

        // Python sends int(time.time()); a float is accepted too. Strings and huge exponents are not times.
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && value.TryGetValue<double>(out var seconds) && double.IsFinite(seconds))
        {
            return seconds;
        }

        throw new Api2Exception($"{TimestampField} must be a number (Unix time in seconds, e.g. int(time.time())), not {Json(node)}");
    }

    private void CheckWindow(double timestamp, JsonNode sent)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var away = Math.Abs(timestamp - now);
        var allowed = _options.ClockSkew.TotalSeconds;
        if (away > allowed)
        {
            throw new Api2Exception(string.Create(
                CultureInfo.InvariantCulture,
                $"{TimestampField} {Json(sent)} is {away:0.#} s away from the server clock (allowed ±{allowed:0.#} s); check the client's clock"));
        }
    }

    // Owner ids are 32 characters; anything far longer is echoed shortened.
    private static string Echo(string owner) => Api2Echo.Json(JsonValue.Create(owner));

    private static string Json(JsonNode? node) => Api2Echo.Json(node);
}
