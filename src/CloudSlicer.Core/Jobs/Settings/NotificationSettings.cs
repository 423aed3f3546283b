using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>
/// The Slicebot notification settings of a job: where to POST when slicing starts, is done or fails, and how
/// often to try. A URL is absolute http or https, without user info (put a receiver's token in the query: it
/// moves into the signed body); <c>notify_retries</c> is 0..10 (default 3) and <c>notify_retry_wait</c> is
/// 1..3600 seconds (default 10), so a dead receiver costs at most about ten hours of retries.
/// </summary>
public sealed record NotificationSettings
{
    public const int DefaultRetries = 3;
    public const int MaxRetries = 10;
    public const int DefaultRetryWaitSeconds = 10;
    public const int MaxRetryWaitSeconds = 3600;

    // Longer URLs are refused by common servers anyway; the limit keeps the outbox row small.
    private const int MaxUrlLength = 2048;

    public Uri? StartUrl { get; init; }

    public Uri? DoneUrl { get; init; }

    public Uri? FailUrl { get; init; }

    /// <summary>Further tries after the first failed one.</summary>
    public int Retries { get; init; } = DefaultRetries;

    public TimeSpan RetryWait { get; init; } = TimeSpan.FromSeconds(DefaultRetryWaitSeconds);

    public Uri? UrlFor(NotificationEvent notification) => notification switch
    {
        NotificationEvent.Start => StartUrl,
        NotificationEvent.Done => DoneUrl,
        NotificationEvent.Fail => FailUrl,
        _ => null,
    };

    /// <summary>Reads the five settings from a job's args; other keys are ignored. An empty URL means "not set".</summary>
    public static bool TryParse(JsonObject? args, out NotificationSettings settings, out string error)
    {
        settings = new NotificationSettings();
        error = "";
        if (args is null)
        {
            return true;
        }

        if (!TryUrl(args, "start_url", out var start, ref error)
            || !TryUrl(args, "done_url", out var done, ref error)
            || !TryUrl(args, "fail_url", out var fail, ref error)
            || !TryWhole(args, "notify_retries", 0, MaxRetries, DefaultRetries, "", out var retries, ref error)
            || !TryWhole(args, "notify_retry_wait", 1, MaxRetryWaitSeconds, DefaultRetryWaitSeconds, " seconds", out var wait, ref error))
        {
            return false;
        }

        settings = new NotificationSettings
        {
            StartUrl = start, DoneUrl = done, FailUrl = fail, Retries = retries, RetryWait = TimeSpan.FromSeconds(wait),
        };
        return true;
    }

    // Messages name the setting, never the URL: its query may hold the receiver's secret.
    private static bool TryUrl(JsonObject args, string key, out Uri? url, ref string error)
    {
        url = null;
        if (!args.TryGetPropertyValue(key, out var node) || node is null)
        {
            return true;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            error = $"{key} must be a string: an http or https URL to POST to";
            return false;
        }

        var text = value.GetValue<string>().Trim();
        if (text.Length == 0)
        {
            return true;
        }

        if (text.Length > MaxUrlLength
            || !Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || parsed.HostNameType == UriHostNameType.Unknown || parsed.Host.Length == 0)
        {
            error = $"{key} must be an absolute http or https URL of at most {MaxUrlLength} characters, such as https://example.com/hook";
            return false;
        }

        if (parsed.UserInfo.Length > 0)
        {
            error = $"{key} must not carry a user name or password; put the receiver's token in the query instead (it is sent in the signed body)";
            return false;
        }

        url = parsed;
        return true;
    }

    private static bool TryWhole(JsonObject args, string key, int min, int max, int fallback, string unit, out int result, ref string error)
    {
        result = fallback;
        if (!args.TryGetPropertyValue(key, out var node) || node is null)
        {
            return true;
        }

        var text = node is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
            ? (value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()).Trim()
            : null;
        if (text is null || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out result) || result < min || result > max)
        {
            result = fallback;
            error = $"{key} must be a whole number from {min} to {max}{unit} (default {fallback})";
            return false;
        }

        return true;
    }
}
