using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Media;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// <c>asset.json</c>, stored with the asset: what it is made of (rays, audio, duration, slice length) and
/// where it came from. The asset API and later jobs (clips, exports, tracks) read it instead of re-probing.
/// </summary>
public static class AssetMetadata
{
    public static string Build(string asset, Job job, string? description, TimeSpan duration, IReadOnlyList<Ray> rays, bool hasAudio) =>
        new JsonObject
        {
            ["id"] = asset,
            ["owner"] = job.Owner,
            ["job"] = job.Id,
            ["desc"] = description ?? "",
            ["duration"] = Math.Round(duration.TotalSeconds, 3),
            ["slice_dur"] = Slices.SliceDuration.TotalSeconds,
            ["rays"] = new JsonArray(rays.Select(r => (JsonNode?)new JsonObject
            {
                ["name"] = r.Name,
                ["width"] = r.Width,
                ["height"] = r.Height,
                ["fps"] = Math.Round(r.FrameRate, 3),
                ["kbps"] = r.VideoKbps,
            }).ToArray()),
            ["audio"] = hasAudio,
            ["poster"] = "poster.jpg",
        }.ToJsonString();
}
