using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudSlicer.Core.Assets;

/// <summary>
/// The Slicebot settings that end up on the asset record rather than in the media: <c>external_id</c>
/// (with <c>auto_replace</c> or the <c>_replace:</c> prefix), <c>meta</c>, <c>meta_int</c>, <c>autoexpire</c>,
/// <c>skip_drm</c>, <c>libraries</c>. (<c>desc</c> is read by SlicerArgs itself.)
/// </summary>
public sealed record AssetSettings
{
    public const int MaxExternalIdLength = 255;
    public const int MaxMetaFields = 100;
    public const int MaxMetaFieldLength = 64;
    public const int MaxMetaValueLength = 4096;
    public const int MaxLibraries = 20;
    public const int MaxLibraryNameLength = 255;

    /// <summary>Ten years: a larger value is almost certainly a mistake, and it keeps the expiry time in range.</summary>
    public const int MaxAutoexpireHours = 24 * 366 * 10;

    public const string ReplacePrefix = "_replace:";

    /// <summary>Slicebot separates meta pairs with three commas, so values may hold single commas.</summary>
    public const string MetaSeparator = ",,,";

    public static readonly AssetSettings None = new();

    /// <summary>The external id without any <see cref="ReplacePrefix"/>.</summary>
    public string? ExternalId { get; init; }

    /// <summary>The new asset takes the external id from older assets, which are deleted once it is published.</summary>
    public bool AutoReplace { get; init; }

    public IReadOnlyDictionary<string, AssetMetaValue> Meta { get; init; } = new Dictionary<string, AssetMetaValue>();

    public int AutoexpireHours { get; init; }

    public bool SkipDrm { get; init; }

    /// <summary>
    /// <c>libraries</c>: the owner's libraries (by id or desc) the new asset joins when it is published. Only the
    /// shape is checked here; the names are resolved against the owner's libraries at publish time.
    /// </summary>
    public IReadOnlyList<string> Libraries { get; init; } = [];

    /// <summary>Whether <paramref name="key"/> is one of the settings read here.</summary>
    public static bool Handles(string key) =>
        key is "external_id" or "auto_replace" or "meta" or "meta_int" or "autoexpire" or "skip_drm" or "libraries";

    /// <summary>Reads one setting into <paramref name="settings"/>; false with a message naming the setting when it cannot be used.</summary>
    public static bool TryRead(string key, JsonNode? value, ref AssetSettings settings, out string error)
    {
        error = "";
        var text = ScalarText(value);
        switch (key)
        {
            case "external_id":
                if (text is null)
                {
                    error = "external_id must be a string";
                    return false;
                }

                var replace = text.StartsWith(ReplacePrefix, StringComparison.Ordinal);
                var id = (replace ? text[ReplacePrefix.Length..] : text).Trim();
                if (id.Length is 0 or > MaxExternalIdLength || id.Any(char.IsControl))
                {
                    error = $"external_id must be 1 to {MaxExternalIdLength} characters without control characters (after any '{ReplacePrefix}' prefix)";
                    return false;
                }

                settings = settings with { ExternalId = id, AutoReplace = settings.AutoReplace || replace };
                return true;
            case "auto_replace" or "skip_drm":
                if (!TryFlag(text, out var flag))
                {
                    error = $"{key} must be 0 or 1";
                    return false;
                }

                settings = key == "skip_drm" ? settings with { SkipDrm = flag } : settings with { AutoReplace = settings.AutoReplace || flag };
                return true;
            case "meta" or "meta_int":
                if (text is null || !TryMeta(key, text, settings.Meta, out var meta, out error))
                {
                    error = error.Length > 0 ? error : $"{key} must be a string of field=value pairs separated by '{MetaSeparator}'";
                    return false;
                }

                settings = settings with { Meta = meta };
                return true;
            case "autoexpire":
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours > MaxAutoexpireHours)
                {
                    error = $"autoexpire must be a whole number of hours from 0 (never) to {MaxAutoexpireHours}";
                    return false;
                }

                settings = settings with { AutoexpireHours = hours };
                return true;
            case "libraries":
                if (!TryLibraries(value, out var libraries))
                {
                    error = $"libraries must be a comma-separated string or a list of library ids or names (at most {MaxLibraries}, each 1 to {MaxLibraryNameLength} characters without control characters)";
                    return false;
                }

                settings = settings with { Libraries = libraries };
                return true;
            default:
                throw new ArgumentException($"'{key}' is not an asset setting", nameof(key));
        }
    }

    /// <summary>Parses <c>field=value,,,field=value</c>; <c>meta_int</c> values must be whole numbers. Later fields win.</summary>
    public static bool TryMeta(string key, string text, IReadOnlyDictionary<string, AssetMetaValue> existing, out IReadOnlyDictionary<string, AssetMetaValue> meta, out string error)
    {
        var result = new Dictionary<string, AssetMetaValue>(existing, StringComparer.Ordinal);
        meta = result;
        error = "";
        foreach (var pair in text.Split(MetaSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var field = equals < 0 ? "" : pair[..equals].Trim();
            if (field.Length is 0 or > MaxMetaFieldLength || field.Any(char.IsControl))
            {
                error = $"{key} entries must look like field=value (field 1 to {MaxMetaFieldLength} characters), separated by '{MetaSeparator}'";
                return false;
            }

            var raw = pair[(equals + 1)..];
            if (key == "meta_int")
            {
                if (!long.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                {
                    error = $"meta_int field '{field}' must be a whole number";
                    return false;
                }

                result[field] = AssetMetaValue.Of(n);
            }
            else
            {
                if (raw.Length > MaxMetaValueLength)
                {
                    error = $"meta field '{field}' is longer than {MaxMetaValueLength} characters";
                    return false;
                }

                result[field] = AssetMetaValue.Of(raw);
            }

            if (result.Count > MaxMetaFields)
            {
                error = $"an asset's meta holds at most {MaxMetaFields} fields";
                return false;
            }
        }

        return true;
    }

    /// <summary>Slicebot's <c>libraries = a,b</c> (a .cfg line or a string arg) or a JSON list; blank entries are dropped.</summary>
    private static bool TryLibraries(JsonNode? value, out IReadOnlyList<string> libraries)
    {
        libraries = [];
        IEnumerable<string?> entries = value switch
        {
            JsonArray list => list.Select(ScalarText),
            _ when ScalarText(value) is { } text => text.Split(','),
            _ => [null],
        };
        var names = new List<string>();
        foreach (var entry in entries)
        {
            var name = entry?.Trim();
            if (name is null || name.Length > MaxLibraryNameLength || name.Any(char.IsControl))
            {
                return false;
            }

            if (name.Length > 0 && !names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        libraries = names;
        return names.Count <= MaxLibraries;
    }

    private static bool TryFlag(string? text, out bool flag)
    {
        flag = text is "1" or "true" or "True";
        return flag || text is "0" or "false" or "False" or "";
    }

    private static string? ScalarText(JsonNode? value) => value is JsonValue scalar
        ? scalar.GetValueKind() switch
        {
            JsonValueKind.String => scalar.GetValue<string>(),
            JsonValueKind.Number => scalar.ToJsonString(),
            JsonValueKind.True => "1",
            JsonValueKind.False => "0",
            _ => null,
        }
        : null;
}
