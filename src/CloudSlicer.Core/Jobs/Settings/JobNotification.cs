using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>
/// The notification a job's new state causes, as it will be POSTed: the configured URL without its query,
/// and the form body (the query's parameters first, then Slicebot's fields). The store writes it in the same
/// transaction as the state change, so the body is a snapshot: a later delete of the job changes nothing.
/// </summary>
public sealed record JobNotification(NotificationEvent Event, Uri Url, string Body, int MaxAttempts, TimeSpan RetryWait)
{
    // Slicebot's fields, plus job_id and event, which let one receiver URL tell notifications apart.
    private static readonly string[] FieldNames = ["filename", "asset_id", "external_id", "description", "status", "error", "job_id", "event"];

    /// <summary>
    /// The notification <paramref name="job"/> (as it is after a transition) causes, or null. The rule lives
    /// here once, for every store: assigned on the first attempt → start; done → done; error → fail. A retried
    /// attempt going back to waiting causes nothing, so fail_url hears of a job's failure once.
    /// </summary>
    public static JobNotification? For(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        NotificationEvent? caused = job.State switch
        {
            JobState.Assigned when job.Attempts == 1 => NotificationEvent.Start,
            JobState.Done => NotificationEvent.Done,
            JobState.Error => NotificationEvent.Fail,
            _ => null,
        };
        if (caused is not { } notification)
        {
            return null;
        }

        var args = ParseObject(job.ArgsJson);

        // The args were checked at create; a job whose stored args no longer parse sends nothing rather than fail.
        if (!NotificationSettings.TryParse(args, out var settings, out _) || settings.UrlFor(notification) is not { } url)
        {
            return null;
        }

        var fields = new List<(string Name, string Value)>
        {
            ("filename", FileName(job)),
            ("asset_id", job.Asset ?? ""),
            ("external_id", ExternalId(args)),
            ("description", Text(args, "desc")),
            ("status", notification == NotificationEvent.Fail ? "error" : "ok"),
        };
        if (notification == NotificationEvent.Fail)
        {
            fields.Add(("error", job.LastError));
        }

        fields.Add(("job_id", job.Id));
        fields.Add(("event", notification.ToWire()));

        // A query parameter named like one of our fields is dropped: the receiver must be able to trust them.
        var query = QueryPairs(url.Query).Where(p => !FieldNames.Contains(p.Name, StringComparer.Ordinal));
        var target = new Uri(url.GetLeftPart(UriPartial.Path));
        return new JobNotification(notification, target, FormBody([.. query, .. fields]), settings.Retries + 1, settings.RetryWait);
    }

    /// <summary><c>a=1&amp;b=x+y</c>: application/x-www-form-urlencoded, UTF-8.</summary>
    public static string FormBody(IEnumerable<(string Name, string Value)> fields)
    {
        var body = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            if (body.Length > 0)
            {
                body.Append('&');
            }

            body.Append(WebUtility.UrlEncode(name)).Append('=').Append(WebUtility.UrlEncode(value));
        }

        return body.ToString();
    }

    private static IEnumerable<(string Name, string Value)> QueryPairs(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            yield return (WebUtility.UrlDecode(name), WebUtility.UrlDecode(value));
        }
    }

    // The source's file name, as Slicebot names the file it sliced: the last segment of the URL's path.
    private static string FileName(Job job)
    {
        var url = Text(ParseObject(job.SourceJson), "url");
        return Uri.TryCreate(url, UriKind.Absolute, out var source)
            ? Uri.UnescapeDataString(source.Segments[^1].TrimEnd('/'))
            : "";
    }

    // "_replace:abc" asks for replacement; the asset's external id is "abc".
    private static string ExternalId(JsonObject? args)
    {
        var id = Text(args, "external_id");
        return id.StartsWith("_replace:", StringComparison.Ordinal) ? id["_replace:".Length..] : id;
    }

    private static string Text(JsonObject? args, string key) =>
        args?[key] is JsonValue value ? value.ToString() : "";

    private static JsonObject? ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
