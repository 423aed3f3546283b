using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// <c>/jobs/quickclip</c>: <c>source</c> {<c>trim</c>: [offset_ms, duration_ms]} and <c>args</c> {<c>beam_id</c>,
/// <c>poster_ts</c>}. Whether the asset exists and the range lies inside it is checked by the endpoint.
/// </summary>
public static class QuickClipRequest
{
    public static JobRequest<QuickClipSpec> Parse(Api2Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = request.GetObject("args")
            ?? throw new Api2Exception("Missing parameter 'args': a dictionary with beam_id, the id of the asset to clip");
        var source = request.GetObject("source")
            ?? throw new Api2Exception("Missing parameter 'source': a dictionary with trim: [start offset ms, duration ms]");
        var asset = Api2Values.AssetId(args["beam_id"], "args.beam_id");
        var (offset, duration) = ParseTrim(source["trim"]);
        long? poster = args["poster_ts"] is { } ts ? ParsePosterTs(ts) : null;

        var echoArgs = new JsonObject { ["beam_id"] = asset };
        if (args["poster_ts"] is { } posterTs)
        {
            echoArgs["poster_ts"] = posterTs.DeepClone();
        }

        return new JobRequest<QuickClipSpec>(
            JobKind.QuickClip,
            new QuickClipSpec(asset, offset, duration, poster),
            echoArgs,
            new JsonObject { ["trim"] = new JsonArray(offset, duration) },
            Asset: null);
    }

    private static (long Offset, long Duration) ParseTrim(JsonNode? trim)
    {
        const string Shape = "source.trim must be [start offset ms, duration ms], for example [3000, 15000]";
        if (trim is not JsonArray { Count: 2 } pair)
        {
            throw new Api2Exception(trim is null ? $"Missing {Shape}" : $"{Shape}, not {Api2Echo.Json(trim)}");
        }

        if (!Api2Values.TryMilliseconds(pair[0], out var offset) || !Api2Values.TryMilliseconds(pair[1], out var duration))
        {
            throw new Api2Exception($"{Shape}: both are whole numbers of milliseconds, not {Api2Echo.Json(trim)}");
        }

        return duration > 0 ? (offset, duration) : throw new Api2Exception($"{Shape}: the duration must be more than 0");
    }

    /// <summary><c>poster_ts</c>: milliseconds as an integer, or a string "hh:mm:ss.ms" or "ss.ms".</summary>
    public static long ParsePosterTs(JsonNode value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return Api2Values.TryMilliseconds(value, out var ms)
                ? ms
                : throw new Api2Exception($"args.poster_ts must be a whole number of milliseconds, not {Api2Echo.Json(value)}");
        }

        var text = value is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>().Trim() : null;
        if (text is not null && !text.Contains(':', StringComparison.Ordinal)
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds <= 604_800)
        {
            return (long)Math.Round(seconds * 1000);
        }

        if (text is not null && TimeSpan.TryParseExact(text, [@"h\:mm\:ss\.FFF", @"h\:mm\:ss", @"hh\:mm\:ss\.FFF"], CultureInfo.InvariantCulture, out var clock)
            && clock >= TimeSpan.Zero)
        {
            return (long)clock.TotalMilliseconds;
        }

        throw new Api2Exception($"args.poster_ts must be milliseconds (12500), \"ss.ms\" (\"12.5\") or \"hh:mm:ss.ms\" (\"00:00:12.500\"), not {Api2Echo.Json(value)}");
    }
}
