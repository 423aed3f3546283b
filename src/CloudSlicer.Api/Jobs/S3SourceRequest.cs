using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Core.Jobs.Specs;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// A private S3 source of <c>/jobs/create</c>: <c>{"url": "s3://endpoint/bucket/key", "api_key": …, "api_secret": …}</c>.
/// Checked at the door; whether the endpoint may be dialled (the SSRF guard) is decided by the slicer when it connects.
/// The echo shows the URL (nothing in it is secret) and the api_key masked to its last four characters; the
/// api_secret is never shown.
/// </summary>
public sealed record S3SourceRequest(string Url, S3SourceLocation Location, S3Credentials Credentials)
{
    private const int MinKey = 3;
    private const int MaxKey = 128;
    private const int MinSecret = 8;
    private const int MaxSecret = 256;

    // A key this long shows its last four characters, as AWS's own consoles do; a shorter one shows nothing.
    private const int ShownKeyMinLength = 16;

    private const string Needs = "an s3:// source needs the access key (api_key) and secret key (api_secret) of an S3 user that may read the object; "
        + "for a public object give its https URL instead";

    public static bool IsS3(JsonObject? source) =>
        source?["url"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && S3SourceLocation.IsS3(v.GetValue<string>());

    public static S3SourceRequest Parse(JsonObject source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var url = source["url"]!.GetValue<string>();
        if (url.Length > 8192)
        {
            throw new Api2Exception($"source.url is {url.Length} characters long; at most 8192 are accepted");
        }

        if (!S3SourceLocation.TryParse(url, "source.url", out var location, out var error))
        {
            throw new Api2Exception(error);
        }

        var key = Credential(source, "api_key", MinKey, MaxKey, "the S3 access key");
        var secret = Credential(source, "api_secret", MinSecret, MaxSecret, "the S3 secret key");
        return new S3SourceRequest(url, location!, new S3Credentials(key, secret));
    }

    /// <summary>What <c>/jobs/get</c> and <c>/jobs/list</c> show as the job's <c>source</c>.</summary>
    public JsonObject Echo() => new()
    {
        ["url"] = Url,
        ["api_key"] = Credentials.ApiKey.Length >= ShownKeyMinLength
            ? new string('*', Credentials.ApiKey.Length - 4) + Credentials.ApiKey[^4..]
            : SourceRedaction.Redacted,
    };

    // The value is never quoted back: it is a credential.
    private static string Credential(JsonObject source, string name, int min, int max, string what)
    {
        if (source[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>() is not { Length: > 0 } text)
        {
            throw new Api2Exception($"source.{name} is missing or not a string: {Needs}");
        }

        if (text.Length < min || text.Length > max || text.Any(c => c is < '!' or > '~'))
        {
            throw new Api2Exception($"source.{name} is not a usable value for {what} of an s3:// source: give {min} to {max} printable ASCII characters without spaces");
        }

        return text;
    }
}
