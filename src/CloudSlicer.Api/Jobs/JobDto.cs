using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Api.Hosting;
using CloudSlicer.Core.Jobs;
using Microsoft.AspNetCore.Http;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// The job dictionary on the wire, member for member as the seed's samples show it, plus <c>percent</c>,
/// <c>slicer</c>, and for a done job with an asset its absolute <c>playback_url</c> and <c>poster_url</c> (and for
/// an export, <c>hd_exported_url</c>).
/// Written straight to JSON (<see cref="Write"/>): jobs/get is the most frequent call, and building a
/// <see cref="JsonObject"/> and re-parsing the stored args and source for each answer cost more than the read.
/// </summary>
public static class JobDto
{
    /// <summary>The api2 answer <c>{"job": {...}, ...more, "error": 0}</c>.</summary>
    public static IResult Ok(Job job, PublicUrls urls, JsonObject? more = null) =>
        Api2Results.Ok(writer =>
        {
            writer.WritePropertyName("job");
            Write(writer, job, urls);
            foreach (var (name, value) in more ?? [])
            {
                writer.WritePropertyName(name);
                WriteNode(writer, value);
            }
        });

    /// <summary>The job as a node, for answers that hold several (jobs/list).</summary>
    public static JsonObject From(Job job, PublicUrls urls)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Api2Results.WriterOptions))
        {
            Write(writer, job, urls);
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    public static void Write(Utf8JsonWriter writer, Job job, PublicUrls urls)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(urls);
        writer.WriteStartObject();
        writer.WriteString("state", job.State.ToWire());
        writer.WriteString("last_error", job.LastError);
        writer.WritePropertyName("args");
        WriteStoredJson(writer, job.ArgsJson);
        writer.WriteNumber("attempts", job.Attempts);
        writer.WritePropertyName("source");
        WriteStoredJson(writer, job.SourceJson);
        writer.WriteNumber("finished", job.Finished);
        writer.WriteString("asset", job.Asset);
        writer.WriteNumber("last_start", job.LastStart);
        writer.WriteString("owner", job.Owner);
        writer.WriteString("progress", job.Progress);
        writer.WriteNumber("percent", job.Percent);
        writer.WriteString("slicer", job.State == JobState.Assigned ? job.Slicer : null);
        writer.WriteString("id", job.Id);
        if (job is { State: JobState.Done, Asset: { } asset })
        {
            writer.WriteString("playback_url", urls.Playback(asset));
            writer.WriteString("poster_url", urls.Poster(asset));
            if (job.Kind == JobKind.Export)
            {
                writer.WriteString("hd_exported_url", urls.Export(asset));
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Args and source are JSON we stored ourselves. Compact, printable ASCII without escapes is exactly what
    /// parsing and re-writing it would give, so it goes out as it is; anything else (an escape, non-ASCII text
    /// that the answer's encoder writes differently) is parsed and re-written, as every answer did before.
    /// </summary>
    private static void WriteStoredJson(Utf8JsonWriter writer, string json)
    {
        if (IsVerbatim(json))
        {
            writer.WriteRawValue(json, skipInputValidation: true);
        }
        else
        {
            WriteNode(writer, JsonNode.Parse(json));
        }
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    // No whitespace outside strings, no backslash, nothing outside 0x20-0x7E: the relaxed encoder escapes none
    // of those characters, and with no escapes a quote always opens or closes a string.
    private static bool IsVerbatim(string json)
    {
        if (json.Length == 0)
        {
            return false;
        }

        var inString = false;
        foreach (var c in json)
        {
            if (c is < ' ' or > '~' or '\\' || (c == ' ' && !inString))
            {
                return false;
            }

            if (c == '"')
            {
                inString = !inString;
            }
        }

        return !inString;
    }
}
