using System.Text;
using System.Text.RegularExpressions;

namespace CloudSlicer.Core.Jobs.Specs;

/// <summary>
/// A private S3 source as the protocol spells it: <c>s3://endpoint/bucket/key</c>, such as
/// <c>s3://s3.eu-west-1.amazonaws.com/videos/nature.mp4</c>. The endpoint is a host with an optional port and no
/// scheme; the key is everything after the bucket, taken literally (no percent-decoding, '?' and '#' included),
/// as S3 stores it.
/// </summary>
public sealed partial record S3SourceLocation(string Host, int? Port, string Bucket, string Key)
{
    public const string Scheme = "s3://";

    // S3 allows 1024 bytes of UTF-8 in a key.
    private const int MaxKeyBytes = 1024;

    /// <summary><c>host</c> or <c>host:port</c>, as in the URL.</summary>
    public string Endpoint => Port is { } port ? $"{Host}:{port}" : Host;

    /// <summary>The URL, as shown in messages and echoes: nothing in it is secret.</summary>
    public override string ToString() => $"{Scheme}{Endpoint}/{Bucket}/{Key}";

    public static bool IsS3(string url) => url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong in words for the
    /// caller (naming the parameter <paramref name="name"/>), without quoting the text.
    /// </summary>
    public static bool TryParse(string text, string name, out S3SourceLocation? location, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        location = null;
        error = "";
        const string Form = "s3://endpoint/bucket/key, such as s3://s3.eu-west-1.amazonaws.com/videos/nature.mp4";
        if (!IsS3(text))
        {
            error = $"{name} must have the form {Form}";
            return false;
        }

        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var endpoint = slash < 0 ? rest : rest[..slash];
        if (endpoint.Length == 0)
        {
            error = $"{name} has no S3 endpoint; use the form {Form}";
            return false;
        }

        if (endpoint.Contains('@', StringComparison.Ordinal))
        {
            error = $"{name} must not carry credentials in the URL; give them as source.api_key and source.api_secret";
            return false;
        }

        if (!TryParseEndpoint(endpoint, out var host, out var port))
        {
            error = $"{name} has an S3 endpoint that is not a host name or IP address with an optional port (such as s3.eu-west-1.amazonaws.com or minio.example:9000); give it without a scheme: {Form}";
            return false;
        }

        var path = slash < 0 ? "" : rest[(slash + 1)..];
        var keyStart = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = keyStart < 0 ? path : path[..keyStart];
        var key = keyStart < 0 ? "" : path[(keyStart + 1)..];
        if (bucket.Length == 0)
        {
            error = $"{name} has no bucket; use the form {Form}";
            return false;
        }

        if (!BucketName().IsMatch(bucket))
        {
            error = $"{name} has a bucket name S3 does not allow: 3 to 63 letters, digits, dots, hyphens or underscores";
            return false;
        }

        if (key.Length == 0)
        {
            error = $"{name} has no object key after the bucket; use the form {Form}";
            return false;
        }

        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes || key.Any(char.IsControl))
        {
            error = $"{name} has an object key S3 does not allow: at most {MaxKeyBytes} bytes and no control characters";
            return false;
        }

        location = new S3SourceLocation(host, port, bucket, key);
        return true;
    }

    private static bool TryParseEndpoint(string endpoint, out string host, out int? port)
    {
        host = endpoint;
        port = null;
        var colon = endpoint.LastIndexOf(':');
        var closing = endpoint.LastIndexOf(']');
        if (colon > closing && colon > 0)
        {
            if (!int.TryParse(endpoint.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p)
                || p is < 1 or > 65535)
            {
                return false;
            }

            host = endpoint[..colon];
            port = p;
        }

        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return Uri.CheckHostName(bare) switch
        {
            UriHostNameType.Dns or UriHostNameType.IPv4 => !host.StartsWith('['),
            UriHostNameType.IPv6 => host.StartsWith('['),
            _ => false,
        };
    }

    [GeneratedRegex(@"\A[A-Za-z0-9._-]{3,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();
}
