using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;

namespace CloudSlicer.Api.Jobs;

/// <summary>Checks a create request's <c>source</c> at the door, so a bad URL is an API error rather than a failed job.</summary>
public static class SourceUrl
{
    private const int MaxLength = 8192;

    public static Uri Parse(JsonObject? source)
    {
        if (source is null)
        {
            throw new Api2Exception("Missing parameter 'source': a dictionary such as {\"url\": \"https://example.com/video.mp4\"}");
        }

        if (source["url"] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>() is not { Length: > 0 } text)
        {
            throw new Api2Exception("source.url is missing: give the http(s) URL of the media to slice");
        }

        if (text.Length > MaxLength)
        {
            throw new Api2Exception($"source.url is {text.Length} characters long; at most {MaxLength} are accepted");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            // Not echoed: the text may carry credentials.
            throw new Api2Exception("source.url is not an absolute URL; give the full http(s) URL of the media, such as https://example.com/video.mp4");
        }

        return url.Scheme switch
        {
            "http" or "https" when !string.IsNullOrEmpty(url.Host) => url,
            "s3" => throw new Api2Exception("s3:// sources are not supported by this server yet; give a public or pre-signed https URL instead"),
            _ => throw new Api2Exception($"source.url must be an http or https URL, not '{Api2Echo.Text(url.Scheme)}'"),
        };
    }
}
