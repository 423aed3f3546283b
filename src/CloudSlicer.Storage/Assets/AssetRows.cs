using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;

namespace CloudSlicer.Storage.Assets;

/// <summary>
/// How an asset record maps to the <c>assets</c> table's columns, the same for every database: the lists are JSON
/// text, meta is a JSON object, skip_drm is 0 or 1. Parameters are named <c>@column</c>.
/// </summary>
internal static class AssetRows
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a first version inserts: the media and everything the customer set; <paramref name="now"/> is its creation time.</summary>
    public static (string, object?)[] InsertParameters(AssetManifest m, long now) =>
    [
        .. MediaParameters(m),
        ("@external_id", m.ExternalId), ("@desc", m.Desc), ("@meta", MetaJson(m.Meta)), ("@orig_filename", m.OrigFilename),
        ("@skip_drm", m.SkipDrm ? 1 : 0), ("@now", now), ("@autoexpire", m.AutoexpireHours),
    ];

    /// <summary>What a version carries (and a later version replaces), with the record's id, owner and version.</summary>
    public static (string, object?)[] MediaParameters(AssetManifest m) =>
    [
        ("@id", m.Id), ("@owner", m.Owner), ("@version", m.Version), ("@job", m.Job), ("@duration", m.Duration),
        ("@slice_dur", m.SliceDuration), ("@slices", m.Slices), ("@rays", JsonSerializer.Serialize(m.Rays, Json)),
        ("@renditions", JsonSerializer.Serialize(m.Renditions, Json)), ("@break_offsets", JsonSerializer.Serialize(m.BreakOffsets, Json)),
        ("@poster", m.Poster), ("@thumbnails", JsonSerializer.Serialize(m.Thumbnails, Json)),
        ("@folder", m.Folder), ("@locations", JsonSerializer.Serialize(m.Locations, Json)), ("@superseded", JsonSerializer.Serialize(m.Superseded, Json)),
        ("@export", m.Export is null ? null : JsonSerializer.Serialize(m.Export, Json)),
    ];

    /// <summary>A list of ids as the JSON array text the stores pass as one parameter.</summary>
    public static string IdsJson(IEnumerable<string> ids) => JsonSerializer.Serialize(ids, Json);

    public static string MetaJson(IReadOnlyDictionary<string, AssetMetaValue> meta)
    {
        var json = new JsonObject();
        foreach (var (key, value) in meta)
        {
            json[key] = value.ToJson();
        }

        return json.ToJsonString();
    }

    public static AssetManifest Read(DbDataReader row) => new()
    {
        Id = row.GetString(row.GetOrdinal("id")),
        Owner = row.GetString(row.GetOrdinal("owner")),
        State = row.GetString(row.GetOrdinal("state")),
        Version = row.GetInt32(row.GetOrdinal("version")),
        Job = NullableString(row, "job"),
        ExternalId = NullableString(row, "external_id"),
        Desc = row.GetString(row.GetOrdinal("desc")),
        Meta = ReadMeta(row.GetString(row.GetOrdinal("meta"))),
        Duration = row.GetDouble(row.GetOrdinal("duration")),
        SliceDuration = row.GetDouble(row.GetOrdinal("slice_dur")),
        Slices = row.GetInt32(row.GetOrdinal("slices")),
        Rays = Deserialize<List<Ray>>(row, "rays"),
        Renditions = Deserialize<List<Rendition>>(row, "renditions"),
        BreakOffsets = Deserialize<List<BreakOffset>>(row, "break_offsets"),
        Poster = NullableString(row, "poster"),
        Thumbnails = Deserialize<List<ThumbnailSet>>(row, "thumbnails"),
        OrigFilename = row.GetString(row.GetOrdinal("orig_filename")),
        SkipDrm = row.GetInt32(row.GetOrdinal("skip_drm")) != 0,
        Created = row.GetInt64(row.GetOrdinal("created")),
        AutoexpireHours = row.GetInt32(row.GetOrdinal("autoexpire")),
        Expires = row.IsDBNull(row.GetOrdinal("expires")) ? null : row.GetInt64(row.GetOrdinal("expires")),
        Folder = NullableString(row, "folder"),
        Locations = Deserialize<Dictionary<string, string>>(row, "locations"),
        Superseded = Deserialize<List<string>>(row, "superseded"),
        Export = NullableString(row, "export") is { } export ? JsonSerializer.Deserialize<AssetExport>(export, Json) : null,
    };

    private static Dictionary<string, AssetMetaValue> ReadMeta(string text)
    {
        var meta = new Dictionary<string, AssetMetaValue>(StringComparer.Ordinal);
        foreach (var (key, value) in JsonNode.Parse(text) as JsonObject ?? [])
        {
            if (AssetMetaValue.TryFrom(value, out var v))
            {
                meta[key] = v;
            }
        }

        return meta;
    }

    private static T Deserialize<T>(DbDataReader row, string column)
        where T : new() =>
        JsonSerializer.Deserialize<T>(row.GetString(row.GetOrdinal(column)), Json) ?? new T();

    private static string? NullableString(DbDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
    }
}
