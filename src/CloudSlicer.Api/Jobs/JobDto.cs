using System.Text.Json.Nodes;
using CloudSlicer.Api.Hosting;
using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// The job dictionary on the wire, member for member as the seed's samples show it, plus <c>percent</c>,
/// <c>slicer</c>, and for a done job with an asset its absolute <c>playback_url</c> and <c>poster_url</c>.
/// </summary>
public static class JobDto
{
    public static JsonObject From(Job job, PublicUrls urls)
    {
        var dto = From(job);
        if (job is { State: JobState.Done, Asset: { } asset })
        {
            dto["playback_url"] = urls.Playback(asset);
            dto["poster_url"] = urls.Poster(asset);
            if (job.Kind == JobKind.Export)
            {
                dto["hd_exported_url"] = $"{urls.Base}/{asset}/export.mp4";   // the export handler's file name
            }
        }

        return dto;
    }

    private static JsonObject From(Job job) => new()
    {
        ["state"] = job.State.ToWire(),
        ["last_error"] = job.LastError,
        ["args"] = JsonNode.Parse(job.ArgsJson),
        ["attempts"] = job.Attempts,
        ["source"] = JsonNode.Parse(job.SourceJson),
        ["finished"] = job.Finished,
        ["asset"] = job.Asset,
        ["last_start"] = job.LastStart,
        ["owner"] = job.Owner,
        ["progress"] = job.Progress,
        ["percent"] = job.Percent,
        ["slicer"] = job.State == JobState.Assigned ? job.Slicer : null,
        ["id"] = job.Id,
    };
}
