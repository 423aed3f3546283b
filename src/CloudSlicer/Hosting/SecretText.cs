using System.Text.RegularExpressions;

namespace CloudSlicer.Hosting;

/// <summary>Keeps a connection string's password out of a message that quotes part of it.</summary>
internal static partial class SecretText
{
    /// <summary><paramref name="message"/> with every password found in <paramref name="connection"/> replaced.</summary>
    public static string Without(string message, string connection)
    {
        foreach (var secret in PasswordsIn(connection).Where(s => s.Length > 0))
        {
            message = message.Replace(secret, "***", StringComparison.Ordinal);
        }

        return message;
    }

    private static IEnumerable<string> PasswordsIn(string connection)
    {
        // URI form: scheme://user:password@host
        var uri = UriPassword().Match(connection);
        if (uri.Success)
        {
            yield return uri.Groups["password"].Value;
            yield return Uri.UnescapeDataString(uri.Groups["password"].Value);
        }

        // Keyword form, and a URI's ?password= query.
        foreach (Match keyword in KeywordPassword().Matches(connection))
        {
            yield return keyword.Groups["password"].Value.Trim().Trim('\'', '"');
        }
    }

    [GeneratedRegex(@"^[a-z]+://[^:/@]*:(?<password>[^@]*)@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPassword();

    [GeneratedRegex(@"(?:^|[;?&])\s*(?:password|pwd)\s*=(?<password>[^;&]*)", RegexOptions.IgnoreCase)]
    private static partial Regex KeywordPassword();
}
