using System.Text;
using System.Text.RegularExpressions;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// The form of a source URL that is echoed in every job (create, get, list): the userinfo password removed and
/// the values of credential-like query parameters replaced by <see cref="Redacted"/>. The URL as sent is kept
/// only in the job's never-echoed secrets, for the slicer. A URL with nothing to hide is echoed as sent.
/// </summary>
public static partial class SourceRedaction
{
    public const string Redacted = "REDACTED";

    /// <summary><paramref name="url"/> as it may be shown to anyone who can read the job.</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var userInfo = url.UserInfo;
        var password = userInfo.IndexOf(':', StringComparison.Ordinal);
        var query = RedactQuery(url.Query);
        if (password < 0 && query == url.Query)
        {
            return url.OriginalString;
        }

        // Rebuilt from the parsed parts, so what is hidden is exactly what the slicer's Uri would send.
        var shown = new StringBuilder(url.Scheme).Append("://");
        var user = password < 0 ? userInfo : userInfo[..password];
        if (user.Length > 0)
        {
            shown.Append(user).Append('@');
        }

        return shown.Append(url.Authority).Append(url.AbsolutePath).Append(query).Append(url.Fragment).ToString();
    }

    /// <summary>
    /// True for query parameter names that carry credentials in pre-signed and token URLs: every <c>X-Amz-*</c>
    /// (S3 SigV4), <c>sig</c> and <c>key</c>, and any name containing <c>signature</c>, <c>token</c>, <c>secret</c>,
    /// <c>password</c>, <c>passwd</c> or <c>credential</c> or ending in <c>api_key</c>/<c>access_key</c>/<c>private_key</c>
    /// (with or without the separator); case-insensitive. Hiding a harmless value costs only the echo.
    /// </summary>
    public static bool IsCredential(string name) => CredentialName().IsMatch(name);

    private static string RedactQuery(string query)
    {
        if (query.Length <= 1)
        {
            return query;
        }

        var parts = query[1..].Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && IsCredential(Decode(parts[i][..equals])))
            {
                parts[i] = parts[i][..(equals + 1)] + Redacted;
            }
        }

        return "?" + string.Join('&', parts);
    }

    // Names are compared decoded, so "X%2DAmz%2DSignature" or "to+ken" cannot slip past.
    private static string Decode(string name) => Uri.UnescapeDataString(name.Replace('+', ' '));

    [GeneratedRegex(
        @"\A(x-amz-.*|sig|key|.*(signature|token|secret|password|passwd|credential).*|.*(api|access|private)[ _-]?key)\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CredentialName();
}
