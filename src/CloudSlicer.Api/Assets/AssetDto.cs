using System.Text.Json.Nodes;
using CloudSlicer.Api.Hosting;
using CloudSlicer.Core.Assets;

namespace CloudSlicer.Api.Assets;

/// <summary>
/// The asset dictionary on the wire: the hosted Asset API's members (<c>id</c>, <c>desc</c>, <c>duration</c>,
/// <c>state</c>, <c>external_id</c>, <c>created</c>, <c>job_type</c>, <c>rays</c>, <c>slices</c>, <c>slice_dur</c>,
/// <c>autoexpire</c>, <c>require_drm</c>, <c>libraries</c>, <c>orig_filename</c>, <c>meta</c>,
/// <c>break_offsets</c>, <c>poster_url</c>, <c>thumb_url</c>, <c>thumbs</c>, <c>playback_url</c>) plus
/// CloudSlicer's own: <c>owner</c>, <c>job</c>, <c>version</c>, <c>expires</c>, <c>skip_drm</c>, <c>audio_tracks</c>, <c>caption_tracks</c>.
/// URLs are absolute, on the public base URL.
/// </summary>
public static class AssetDto
{
    /// <param name="libraries">The ids of the owner's libraries that hold the asset (none when not given).</param>
    public static JsonObject From(AssetManifest asset, PublicUrls urls, IReadOnlyList<string>? libraries = null)
    {
        ArgumentNullException.ThrowIfNull(asset);
        ArgumentNullException.ThrowIfNull(urls);
        var meta = new JsonObject();
        foreach (var (key, value) in asset.Meta)
        {
            meta[key] = value.ToJson();
        }

        var root = $"{urls.Base}/{asset.Id}/";
        return new JsonObject
        {
            ["id"] = asset.Id,
            ["desc"] = asset.Desc,
            ["duration"] = asset.Duration,
            ["state"] = asset.State,
            ["external_id"] = asset.ExternalId ?? "",
            ["created"] = asset.Created,
            ["job_type"] = "vod",
            ["rays"] = new JsonArray(asset.Rays.Select(r => (JsonNode?)new JsonObject
            {
                ["name"] = r.Name,
                ["width"] = r.Width,
                ["height"] = r.Height,
                ["fps"] = Math.Round(r.FrameRate, 3),
                ["kbps"] = r.VideoKbps,
            }).ToArray()),
            ["slices"] = asset.Slices,
            ["slice_dur"] = asset.SliceDuration,
            ["autoexpire"] = asset.AutoexpireHours,
            ["expires"] = asset.Expires ?? 0,
            ["require_drm"] = 0,
            ["skip_drm"] = asset.SkipDrm ? 1 : 0,
            ["libraries"] = new JsonArray((libraries ?? []).Select(l => (JsonNode?)l).ToArray()),
            ["orig_filename"] = asset.OrigFilename,
            ["meta"] = meta,
            ["break_offsets"] = new JsonArray(asset.BreakOffsets.Select(b =>
            {
                var entry = new JsonObject { ["break_type"] = b.BreakType, ["offset"] = b.Offset, ["duration"] = b.Duration };
                if (b.Name is not null)
                {
                    entry["name"] = b.Name;
                }

                return (JsonNode?)entry;
            }).ToArray()),
            ["poster_url"] = asset.Poster is { } poster ? root + poster : "",
            ["thumb_url"] = asset.Thumbnails is [var first, ..] && first.Count > 0 ? root + first.File(0) : "",
            ["thumbs"] = new JsonArray(asset.Thumbnails.Select(t => (JsonNode?)new JsonObject
            {
                ["prefix"] = t.Prefix,
                ["width"] = t.Width,
                ["height"] = t.Height,
                ["count"] = t.Count,
                ["url_prefix"] = root + t.Prefix,
            }).ToArray()),
            ["playback_url"] = urls.Playback(asset.Id),
            ["mp4_url"] = asset.Export is { } export ? root + export.Path : "",
            ["audio_tracks"] = new JsonArray(asset.Renditions.Where(r => r.Kind == "audio").Select(r => (JsonNode?)new JsonObject
            {
                ["name"] = r.Name,
                ["lang"] = r.Lang,
                ["desc"] = r.Desc,
                ["codec"] = r.Codec,
                ["kbps"] = r.Kbps,
                ["url"] = root + r.Path,
            }).ToArray()),
            ["caption_tracks"] = CaptionTracks(asset, root),
            ["owner"] = asset.Owner,
            ["job"] = asset.Job,
            ["version"] = asset.Version,
        };
    }

    /// <summary>The WebVTT subtitle tracks, numbered as <c>track_num</c> of <c>/jobs/replace_track_vtt</c> counts them.</summary>
    private static JsonArray CaptionTracks(AssetManifest asset, string root) =>
        new(asset.Renditions.Where(r => r.Kind == Rendition.Subtitles).Select((r, i) => (JsonNode?)new JsonObject
        {
            ["track_num"] = i,
            ["lang"] = r.Lang,
            ["desc"] = r.Desc,
            ["url"] = root + r.Path,
        }).ToArray());
}
