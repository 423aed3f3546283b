using System.Buffers;

namespace CloudSlicer.Storage.Blobs.S3;

/// <summary>
/// Where blobs live in S3, from <c>--blobs s3://bucket/prefix?endpoint=https://s3.example.net&amp;region=eu-west-1</c>:
/// a bucket, a key prefix (empty, or ending in '/'), and for an S3-compatible server its endpoint (addressed
/// path-style, since such servers rarely have a DNS name per bucket); without one, AWS itself. Credentials never
/// come from here but from the AWS chain, so the value has no secret to leak; errors still never repeat it.
/// </summary>
public sealed record S3Location
{
    private static readonly SearchValues<char> BucketCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789.-");
    private static readonly SearchValues<char> RegionCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    private S3Location(string bucket, string prefix, Uri? endpoint, string? region)
    {
        Bucket = bucket;
        Prefix = prefix;
        Endpoint = endpoint;
        Region = region;
    }

    public string Bucket { get; }

    /// <summary>Put before every blob key: empty, or a folder ending in '/'.</summary>
    public string Prefix { get; }

    /// <summary>An S3-compatible server's endpoint (scheme, host, port), or null for AWS.</summary>
    public Uri? Endpoint { get; }

    /// <summary>The region to sign for, or null: AWS's own chain (AWS_REGION, the profile), us-east-1 for an endpoint.</summary>
    public string? Region { get; }

    /// <summary>Path-style addressing (<c>https://host/bucket/key</c>) whenever an endpoint is given.</summary>
    public bool PathStyle => Endpoint is not null;

    /// <summary>Whether a <c>--blobs</c> value names S3 rather than a directory.</summary>
    public static bool IsS3(string blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        return blobs.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);
    }

    /// <exception cref="FormatException">The value is not a usable S3 location; the message says what to fix and never repeats the value.</exception>
    public static S3Location Parse(string blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        if (!IsS3(blobs))
        {
            throw Malformed("it must start with s3://");
        }

        var rest = blobs["s3://".Length..];
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var query = question < 0 ? "" : rest[(question + 1)..];
        var path = question < 0 ? rest : rest[..question];
        if (path.Contains('#', StringComparison.Ordinal))
        {
            throw Malformed("it may not contain '#'");
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var prefix = slash < 0 ? "" : path[(slash + 1)..];
        if (bucket.Contains('@', StringComparison.Ordinal))
        {
            throw Malformed("credentials do not belong in it: give them through the AWS chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, an instance role)");
        }

        return new S3Location(ValidBucket(bucket), ValidPrefix(prefix), null, null).WithQuery(query);
    }

    /// <summary>The key of blob <paramref name="key"/> in the bucket.</summary>
    public string ObjectKey(string key) => Prefix + key;

    /// <summary>The location without its endpoint's details, for logs and messages.</summary>
    public override string ToString() => $"s3://{Bucket}/{Prefix}";

    private S3Location WithQuery(string query)
    {
        Uri? endpoint = null;
        string? region = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Unescape(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Unescape(pair[(equals + 1)..]);
            if (!seen.Add(name))
            {
                throw Malformed($"'{Printable(name)}' is given twice");
            }

            switch (name)
            {
                case "endpoint":
                    endpoint = ValidEndpoint(value);
                    break;
                case "region":
                    region = value.Length is > 0 and <= 64 && !value.AsSpan().ContainsAnyExcept(RegionCharacters)
                        ? value
                        : throw Malformed("region must be a region name such as eu-west-1");
                    break;
                default:
                    throw Malformed($"'{Printable(name)}' is not one of its settings (endpoint, region)");
            }
        }

        return new S3Location(Bucket, Prefix, endpoint, region);
    }

    private static string ValidBucket(string bucket)
    {
        // S3's naming rules: 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit.
        if (bucket.Length == 0)
        {
            throw Malformed("it names no bucket; the form is s3://bucket/prefix");
        }

        if (bucket.Length is < 3 or > 63 || bucket.AsSpan().ContainsAnyExcept(BucketCharacters)
            || !char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]) || bucket.Contains("..", StringComparison.Ordinal))
        {
            throw Malformed("the bucket name must be 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit");
        }

        return bucket;
    }

    private static string ValidPrefix(string prefix)
    {
        var trimmed = Unescape(prefix).Trim('/');
        if (trimmed.Length == 0)
        {
            return "";
        }

        if (trimmed.Contains('\\', StringComparison.Ordinal) || trimmed.Contains('\0', StringComparison.Ordinal)
            || trimmed.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw Malformed("the prefix must be folder names separated by single '/' (no '.', '..' or empty names)");
        }

        return trimmed + "/";
    }

    private static Uri ValidEndpoint(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw Malformed("endpoint must be an absolute http:// or https:// URL such as https://s3.example.net");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw Malformed("endpoint may not carry credentials: give them through the AWS chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, an instance role)");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Malformed("endpoint must be a scheme, host and port only (https://s3.example.net:9000), with no path or query");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority));
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            throw Malformed("it has a bad %-escape");
        }
    }

    // A setting's name is ours to echo, but not without bound or with control characters.
    private static string Printable(string name) =>
        name.Length <= 32 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? name : "(a setting)";

    private static FormatException Malformed(string what) => new($"--blobs is not a usable S3 location: {what}");
}
