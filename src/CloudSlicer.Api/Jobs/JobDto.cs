using System.Text.Json.Nodes;
using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Api.Jobs;

/// <summary>The job dictionary on the wire, member for member as the seed's samples show it, plus <c>percent</c> and <c>slicer</c>.</summary>
public static class JobDto
{
    public static JsonObject From(Job job) => new()
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
