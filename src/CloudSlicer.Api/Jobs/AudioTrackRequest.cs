using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// <c>/jobs/add_track_audio</c>: <c>url</c>, <c>desc</c>, <c>lang</c>, <c>dolby</c> for one track, or <c>source</c>, a
/// list of such dictionaries. URLs are echoed without their credentials, as a create job's source is.
/// </summary>
public static class AudioTrackRequest
{
    /// <param name="request">The call.</param>
    /// <param name="asset">The asset's id, resolved by the endpoint from <c>asset</c> (an id or <c>ext:&lt;external_id&gt;</c>).</param>
    public static JobRequest<AudioTrackSpec> Parse(Api2Request request, string asset)
    {
        var tracks = new List<AudioTrackSource>();
        var echoes = new List<JsonObject>();
        foreach (var (track, where) in TrackFields.Tracks(request, AudioTrackSpec.MaxTracks))
        {
            var url = SourceUrl.Parse($"{where}url", track["url"], "the audio track");
            var source = new AudioTrackSource(
                url.OriginalString,
                TrackFields.Desc(track, where, fallback: ""),
                TrackFields.Lang(track, where),
                Api2Values.Flag(track["dolby"], $"{where}dolby"));
            tracks.Add(source);
            echoes.Add(new JsonObject
            {
                ["url"] = SourceRedaction.Redact(url),
                ["track_desc"] = source.Desc,
                ["lang"] = source.Lang,
                ["dolby"] = source.Dolby ? 1 : 0,
            });
        }

        // One track echoes its fields as the seed shows them; several are listed.
        var args = echoes.Count == 1 && request.Params["source"] is null
            ? echoes[0]
            : new JsonObject { ["tracks"] = new JsonArray([.. echoes]) };
        return new JobRequest<AudioTrackSpec>(JobKind.AddTrackAudio, new AudioTrackSpec(asset, tracks), args, [], asset);
    }
}
