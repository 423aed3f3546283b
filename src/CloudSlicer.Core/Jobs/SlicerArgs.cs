using System.Collections.Frozen;
using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Core.Jobs;

/// <summary>
/// The Slicebot settings a <c>/jobs/create</c> may carry in <c>args</c>. Unknown keys are reported back
/// (<c>illegal_slicer_args</c>) and dropped; values the slicer could not use are rejected here, at create
/// time, rather than failing an attempt an hour later.
/// </summary>
public sealed record SlicerArgs
{
    public static readonly FrozenSet<string> AcceptedKeys = new[]
    {
        "autoexpire", "auto_replace", "breaks", "bug", "description", "desc", "external_id", "fade",
        "force_aspect_ratio", "libraries", "max_slices", "meta", "meta_int", "mix_atracks", "poster",
        "poster_file", "poster_size", "skip_drm", "thumbnails", "timedmeta", "trim", "start_url", "done_url",
        "fail_url", "notify_retries", "notify_retry_wait", "slicer_args",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> IntegerKeys = new[]
    {
        "autoexpire", "max_slices", "notify_retries", "notify_retry_wait",
    }.ToFrozenSet(StringComparer.Ordinal);

    public Trim? Trim { get; init; }

    public string? Description { get; init; }

    /// <summary>The settings that go onto the asset record: external_id, auto_replace, meta, meta_int, autoexpire, skip_drm.</summary>
    public AssetSettings Asset { get; init; } = AssetSettings.None;

    public NotificationSettings Notifications { get; init; } = new();

    /// <summary>The settings that change the media made (poster, breaks, fades ...), parsed.</summary>
    public MediaSettings Media { get; init; } = MediaSettings.None;

    /// <summary>The settings as they are stored and echoed: known keys only, <c>description</c> folded into <c>desc</c>.</summary>
    public JsonObject Normalized { get; init; } = [];

    /// <summary>Reads <paramref name="args"/>; on a value that cannot be used returns false with a message for the client.</summary>
    public static bool TryParse(JsonObject? args, out SlicerArgs result, out IReadOnlyList<string> illegal, out string error)
    {
        result = new SlicerArgs();
        error = "";
        var unknown = new List<string>();
        illegal = unknown;
        var normalized = new JsonObject();
        Trim? trim = null;
        string? description = null;
        var asset = AssetSettings.None;
        if (!SlicerCommandLine.TryExpand(args, out args, out error))
        {
            return false;
        }

        foreach (var (key, value) in args ?? [])
        {
            if (!AcceptedKeys.Contains(key))
            {
                unknown.Add(key);
                continue;
            }

            switch (key)
            {
                case "trim":
                    if (!SettingText.TryScalar(value, out var text, trim: false) || !Jobs.Trim.TryParse(text, out var parsed, out error))
                    {
                        error = error.Length > 0 ? error : "trim must be a string \"StartMs[,DurationMs]\" or a number of milliseconds";
                        return false;
                    }

                    trim = parsed;
                    normalized["trim"] = text;
                    continue;
                case "description" or "desc":
                    if (!SettingText.TryScalar(value, out var desc, trim: false))
                    {
                        error = $"{key} must be a string";
                        return false;
                    }

                    description = desc;
                    normalized["desc"] = desc;
                    continue;
                case var _ when AssetSettings.Handles(key):
                    if (!AssetSettings.TryRead(key, value, ref asset, out error))
                    {
                        return false;
                    }

                    normalized[key] = value?.DeepClone();
                    continue;
                default:
                    if (IntegerKeys.Contains(key) && !(SettingText.TryScalar(value, out var n, trim: false) && long.TryParse(n, out _)))
                    {
                        error = $"{key} must be a whole number, not {value?.ToJsonString() ?? "null"}";
                        return false;
                    }

                    normalized[key] = value?.DeepClone();
                    continue;
            }
        }

        if (!NotificationSettings.TryParse(normalized, out var notifications, out error)
            || !MediaSettings.TryParse(normalized, out var media, out error))
        {
            return false;
        }

        result = new SlicerArgs
        {
            Trim = trim, Description = description, Asset = asset, Notifications = notifications, Media = media, Normalized = normalized,
        };
        return true;
    }
}
