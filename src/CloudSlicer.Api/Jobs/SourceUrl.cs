using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// Checks a URL the caller gives (a create request's <c>source</c>, an audio track's <c>url</c>, a <c>ttml_url</c>)
/// at the door, so a bad URL is an API error rather than a failed job. Whether it may be fetched (the SSRF guard)
/// is decided when it is fetched, after every redirect.
/// </summary>
public static class SourceUrl
{
    private const int MaxLength = 8192;

    public static Uri Parse(JsonObject? source)
    {
        if (source is null)
        {
            throw new Api2Exception("Missing parameter 'source': a dictionary such as {\"url\": \"https://example.com/video.mp4\"}");
        }

        return Parse("source.url", source["url"], "the media to slice");
    }

    /// <param name="name">The parameter as the caller knows it, for messages ("source.url", "url", "ttml_url").</param>
    /// <param name="value">What the caller sent.</param>
    /// <param name="what">What the URL should point at, for the message when it is missing.</param>
    public static Uri Parse(string name, JsonNode? value, string what)
    {
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>() is not { Length: > 0 } text)
        {
            throw new Api2Exception($"{name} is missing: give the http(s) URL of {what}");
        }

        if (text.Length > MaxLength)
        {
            throw new Api2Exception($"{name} is {text.Length} characters long; at most {MaxLength} are accepted");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            // Not echoed: the text may carry credentials.
            throw new Api2Exception($"{name} is not an absolute URL; give the full http(s) URL of {what}, such as https://example.com/video.mp4");
        }

        return url.Scheme switch
        {
            "http" or "https" when !string.IsNullOrEmpty(url.Host) => url,
            "s3" => throw new Api2Exception($"{name} cannot be an s3:// URL: private S3 objects are accepted only as the source of /jobs/create (with api_key and api_secret); give a public or pre-signed https URL instead"),
            _ => throw new Api2Exception($"{name} must be an http or https URL, not '{Api2Echo.Text(url.Scheme)}'"),
        };
    }
}
