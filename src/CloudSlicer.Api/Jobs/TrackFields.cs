using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudSlicer.Api.Api2;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// The fields every added track has: <c>lang</c> (a language tag, <c>en</c> when absent) and <c>desc</c> (the label
/// players show). A track is given at the top level of the call or as one dictionary of a <c>source</c> list.
/// </summary>
public static partial class TrackFields
{
    public const int MaxDescLength = 256;

    public static string Lang(JsonObject track, string where)
    {
        ArgumentNullException.ThrowIfNull(track);
        var lang = Api2Values.OptionalString(track["lang"], $"{where}lang", 35) ?? "en";
        return LanguageTag().IsMatch(lang)
            ? lang
            : throw new Api2Exception($"{where}lang must be a language tag such as \"en\", \"es\" or \"pt-BR\", not {Api2Echo.Json(track["lang"])}");
    }

    /// <summary><c>desc</c> (the seeds also echo it as <c>track_desc</c>, so both are read), or <paramref name="fallback"/>.</summary>
    public static string Desc(JsonObject track, string where, string fallback)
    {
        ArgumentNullException.ThrowIfNull(track);
        var desc = Api2Values.OptionalString(track["desc"], $"{where}desc", MaxDescLength)
            ?? Api2Values.OptionalString(track["track_desc"], $"{where}track_desc", MaxDescLength);
        return string.IsNullOrWhiteSpace(desc) ? fallback : desc.ReplaceLineEndings(" ").Trim();
    }

    /// <summary>
    /// The tracks of a call: the <c>source</c> list when given (each a dictionary), else the call's own parameters.
    /// Returns each with the prefix its messages use ("source[2]." or "").
    /// </summary>
    public static IReadOnlyList<(JsonObject Track, string Where)> Tracks(Api2Request request, int max)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Params["source"] switch
        {
            null => [(request.Params, "")],
            JsonArray { Count: 0 } => throw new Api2Exception("source is an empty list; give at least one track, or the track's fields at the top level"),
            JsonArray list when list.Count > max => throw new Api2Exception($"source has {list.Count} tracks; at most {max} can be added to an asset"),
            JsonArray list => list.Select((item, i) => item is JsonObject track
                ? (track, $"source[{i}].")
                : throw new Api2Exception($"source[{i}] must be a dictionary of a track's fields, not {Api2Echo.Json(item)}")).ToList(),
            var other => throw new Api2Exception($"source must be a list of tracks (dictionaries), not {Api2Echo.Json(other)}"),
        };
    }

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    private static partial Regex LanguageTag();
}
