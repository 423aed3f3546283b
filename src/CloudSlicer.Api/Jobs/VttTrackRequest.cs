using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Media.Captions;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// <c>/jobs/add_track_vtt</c> and <c>/jobs/replace_track_vtt</c>: per track <c>ttml_url</c> or <c>ttml_data</c>
/// (base64 TTML), <c>lang</c>, <c>desc</c>, <c>default_position</c>, <c>default_vertical</c>,
/// <c>subtitle_absolute_time</c>, and for a replace <c>track_num</c>; or <c>source</c>, a list of such dictionaries.
/// The echo follows the seed: <c>add_track_num</c>, <c>ttml_url</c> (without credentials), <c>ttml_data</c> as
/// null (a caption file is not repeated back).
/// </summary>
public static class VttTrackRequest
{
    /// <summary>Decoded TTML larger than this is refused; a feature film's captions are a few hundred KB.</summary>
    public const int MaxTtmlBytes = 4 * 1024 * 1024;

    private const int MaxCueSettingLength = 64;

    /// <param name="request">The call.</param>
    /// <param name="asset">The asset's id, resolved by the endpoint.</param>
    /// <param name="existingTracks">How many subtitle tracks the asset has (new ones are numbered from there).</param>
    /// <param name="replace">replace_track_vtt: each track names the <c>track_num</c> it replaces.</param>
    public static JobRequest<VttTrackSpec> Parse(Api2Request request, string asset, int existingTracks, bool replace)
    {
        var tracks = new List<VttTrackSource>();
        var echoes = new List<JsonObject>();
        foreach (var (track, where) in TrackFields.Tracks(request, VttTrackSpec.MaxTracks))
        {
            var url = track["ttml_url"] is { } u ? SourceUrl.Parse($"{where}ttml_url", u, "the TTML caption file") : null;
            var data = track["ttml_data"] is { } d ? Decode(d, where) : null;
            if ((url is null) == (data is null))
            {
                throw new Api2Exception($"Give exactly one of {where}ttml_url (the TTML file's URL) and {where}ttml_data (the TTML file, base64)");
            }

            int? trackNum = replace ? TrackNum(track["track_num"], where, existingTracks) : null;
            var number = trackNum ?? existingTracks + tracks.Count;
            var position = Api2Values.OptionalString(track["default_position"], $"{where}default_position", MaxCueSettingLength);
            var vertical = Api2Values.OptionalString(track["default_vertical"], $"{where}default_vertical", MaxCueSettingLength);
            RequireCueSettings(position, vertical, where);
            var source = new VttTrackSource(
                url?.OriginalString,
                data,
                // A replace without lang keeps the track's language (the slicer reads "" so), as it keeps its desc.
                replace && track["lang"] is null ? "" : TrackFields.Lang(track, where),
                TrackFields.Desc(track, where, fallback: ""),
                position,
                vertical,
                Api2Values.Flag(track["subtitle_absolute_time"], $"{where}subtitle_absolute_time"),
                trackNum);
            tracks.Add(source);
            echoes.Add(new JsonObject
            {
                ["add_track_num"] = number,
                ["ttml_data"] = null,
                ["ttml_url"] = url is null ? null : SourceRedaction.Redact(url),
                ["lang"] = source.Lang,
                ["desc"] = source.Desc,
            });
        }

        if (!replace && existingTracks + tracks.Count > VttTrackSpec.MaxTracks)
        {
            throw new Api2Exception($"The asset has {existingTracks} caption tracks; adding {tracks.Count} would pass the limit of {VttTrackSpec.MaxTracks}");
        }

        if (replace && tracks.GroupBy(t => t.TrackNum).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new Api2Exception($"track_num {twice.Key} is given twice; replace each track once");
        }

        var args = echoes.Count == 1 && request.Params["source"] is null
            ? echoes[0]
            : new JsonObject { ["tracks"] = new JsonArray([.. echoes]) };
        var kind = replace ? JobKind.ReplaceTrackVtt : JobKind.AddTrackVtt;
        return new JobRequest<VttTrackSpec>(kind, new VttTrackSpec(asset, tracks), args, [], asset);
    }

    /// <summary>The cue settings are checked now, so a word the slicer cannot use is the caller's error, not a failed job.</summary>
    private static void RequireCueSettings(string? position, string? vertical, string where)
    {
        try
        {
            CueSettings.From(position, vertical);
        }
        catch (CaptionException ex)
        {
            throw new Api2Exception($"{where}{ex.Message}");
        }
    }

    private static string Decode(JsonNode value, string where)
    {
        var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        if (text is null)
        {
            throw new Api2Exception($"{where}ttml_data must be the TTML file encoded as a base64 string, not {Api2Echo.Json(value)}");
        }

        if (text.Length > MaxTtmlBytes / 3 * 4 + 4)
        {
            throw new Api2Exception($"{where}ttml_data is larger than {MaxTtmlBytes / (1024 * 1024)} MiB of TTML; host the file and give ttml_url");
        }

        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var length))
        {
            throw new Api2Exception($"{where}ttml_data is not valid base64; encode the TTML file's bytes with standard base64");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw new Api2Exception($"{where}ttml_data does not decode to UTF-8 text; TTML is XML, send the file's bytes base64-encoded");
        }
    }

    private static int TrackNum(JsonNode? value, string where, int existingTracks)
    {
        if (value is null)
        {
            throw new Api2Exception($"Missing {where}track_num: the number of the caption track to replace (0 for the first)");
        }

        if (!Api2Values.TryMilliseconds(value, out var n) || n >= existingTracks)
        {
            throw new Api2Exception(existingTracks == 0
                ? "The asset has no caption tracks to replace; add one with /jobs/add_track_vtt"
                : $"{where}track_num must be a track of the asset, 0 to {existingTracks - 1}, not {Api2Echo.Json(value)}");
        }

        return (int)n;
    }
}
