using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudSlicer.Testing;

/// <summary>What a client puts on the wire: the two api2 fields.</summary>
public sealed record Api2SignedRequest(string Msg, string Sig);

/// <summary>
/// An api2 client that signs exactly like the public Python helper <c>uplynk_api2_auth.Call</c>:
/// <c>msg = base64(zlib.compress(json.dumps(dict(params, _owner=..., _timestamp=int(time.time()))), 9))</c>,
/// <c>sig = hmac.new(secret, msg, sha256).hexdigest()</c>, POSTed as form fields. It deliberately shares no code
/// with the server's codec, so a test that passes through both is an independent check of the protocol.
/// The knobs below reproduce the variations real clients send (and a few a hostile one might).
/// </summary>
public sealed class Api2Client(HttpClient http, string owner, string secret)
{
    public string Owner => owner;

    /// <summary>The API key this client signs with (a test client: handy for building a second client for the same owner).</summary>
    public string Secret => secret;

    /// <summary>Send msg and sig in the query string of a GET instead of a form POST.</summary>
    public bool UseGet { get; set; }

    /// <summary>Base64 as Python 2's <c>encodestring</c>: "\n" every 76 characters and at the end, signed with them.</summary>
    public bool Python2LineBreaks { get; set; }

    /// <summary>zlib level 0-9; the Python helper uses 9.</summary>
    public int CompressionLevel { get; set; } = 9;

    /// <summary>Send the hex signature in upper case (the server must compare case-insensitively).</summary>
    public bool UppercaseSignature { get; set; }

    /// <summary>Added to <c>_timestamp</c>, to step outside (or just inside) the server's window.</summary>
    public TimeSpan TimestampOffset { get; set; }

    /// <summary>Unix seconds for <c>_timestamp</c>; the system clock when null. Point it at the server's fake clock.</summary>
    public Func<long>? Clock { get; set; }

    /// <summary>Signs <paramref name="parameters"/> and POSTs (or GETs) them to <paramref name="path"/>; returns the response object.</summary>
    /// <param name="parameters">An anonymous object, a dictionary or a <see cref="JsonObject"/>; null for none.</param>
    public async Task<JsonObject> CallAsync(string path, object? parameters = null, CancellationToken ct = default)
    {
        var signed = Sign(parameters);
        using var response = await SendRawAsync(path, signed.Msg, signed.Sig, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{path} answered HTTP {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject
                ?? throw new InvalidOperationException($"{path} answered with JSON that is not an object: {body}");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{path} answered with something that is not JSON: {body}", ex);
        }
    }

    /// <summary>The msg and sig this client would send for <paramref name="parameters"/> now.</summary>
    public Api2SignedRequest Sign(object? parameters = null)
    {
        var payload = parameters switch
        {
            null => [],
            JsonObject given => (JsonObject)given.DeepClone(),
            _ => JsonSerializer.SerializeToNode(parameters) as JsonObject
                ?? throw new ArgumentException("parameters must serialize to a JSON object", nameof(parameters)),
        };

        // dict(params, _owner=..., _timestamp=...): parameters first, the two envelope keys last (or overwritten in place).
        payload["_owner"] = owner;
        payload["_timestamp"] = (Clock?.Invoke() ?? TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()) + (long)TimestampOffset.TotalSeconds;

        var msg = Api2Encoding.Encode(payload, CompressionLevel, Python2LineBreaks);
        var sig = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(msg)));
        return new Api2SignedRequest(msg, UppercaseSignature ? sig.ToUpperInvariant() : sig);
    }

    /// <summary>Sends the given fields unchanged (null leaves a field out), as a form POST or, with <see cref="UseGet"/>, a GET.</summary>
    public Task<HttpResponseMessage> SendRawAsync(string path, string? msg, string? sig, CancellationToken ct = default)
    {
        var fields = new List<KeyValuePair<string, string>>();
        if (msg is not null)
        {
            fields.Add(new("msg", msg));
        }

        if (sig is not null)
        {
            fields.Add(new("sig", sig));
        }

        if (UseGet)
        {
            var query = string.Join('&', fields.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));
            return http.GetAsync(query.Length == 0 ? path : $"{path}?{query}", ct);
        }

        // FormUrlEncodedContent escapes '+', '/', '=' and '\n' as Python's urllib.urlencode does.
        return http.PostAsync(path, new FormUrlEncodedContent(fields), ct);
    }

    /// <summary>POSTs an arbitrary body (wrong content type, oversized, garbage) to <paramref name="path"/>.</summary>
    public Task<HttpResponseMessage> SendRawAsync(string path, HttpContent content, CancellationToken ct = default) =>
        http.PostAsync(path, content, ct);

    /// <summary>POSTs <paramref name="body"/> as-is with the form content type, for hand-built field encodings.</summary>
    public Task<HttpResponseMessage> SendRawFormAsync(string path, string body, CancellationToken ct = default)
    {
        var content = new StringContent(body, Encoding.ASCII);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return http.PostAsync(path, content, ct);
    }
}
