using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Api.Hosting;
using CloudSlicer.Core;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Libraries;
using Microsoft.AspNetCore.Http;

namespace CloudSlicer.Api.Assets;

/// <summary>The <c>/api2/asset/*</c> handlers (get, list, update, delete). Route table: <see cref="CloudSlicerApi"/>.</summary>
public static class AssetsApi
{
    public const int MaxListLimit = 50;
    public const int MaxIds = 1000;

    private const int MaxDescLength = 4096;
    private const int MaxSearchLength = 256;

    private static readonly string[] Selectors = ["id", "external_id", "ids", "external_ids"];

    public static async Task<IResult> Get(Api2Request request, IAssetStore assets, ILibraryStore libraries, PublicUrls urls, CancellationToken cancellationToken)
    {
        var given = Selectors.Where(s => request.Params[s] is not null).ToList();
        if (given.Count != 1)
        {
            throw new Api2Exception($"asset/get takes exactly one of id, external_id, ids, external_ids{(given.Count == 0 ? "" : $"; got {string.Join(", ", given)}")}");
        }

        switch (given[0])
        {
            case "id" or "external_id":
                var asset = await FindAsync(request, assets, cancellationToken).ConfigureAwait(false);
                var of = await libraries.LibrariesOfAsync(request.Owner, [asset.Id], cancellationToken).ConfigureAwait(false);
                return Api2Results.Ok(new JsonObject { ["asset"] = AssetDto.From(asset, urls, of.GetValueOrDefault(asset.Id)) });
            default:
                var byExternalId = given[0] == "external_ids";
                var wanted = request.RequireStringList(given[0], MaxIds).Distinct(StringComparer.Ordinal).ToList();
                var lookup = wanted.Where(id => byExternalId || Ids.IsValid(id)).ToList();
                var found = lookup.Count == 0 ? [] : await assets.GetManyAsync(request.Owner, lookup, byExternalId, cancellationToken).ConfigureAwait(false);
                var byKey = found.ToDictionary(a => byExternalId ? a.ExternalId! : a.Id, StringComparer.Ordinal);
                var libraryIds = await libraries.LibrariesOfAsync(request.Owner, found.Select(a => a.Id).ToList(), cancellationToken).ConfigureAwait(false);
                return Api2Results.Ok(new JsonObject
                {
                    ["assets"] = new JsonArray(wanted.Where(byKey.ContainsKey)
                        .Select(k => (JsonNode?)AssetDto.From(byKey[k], urls, libraryIds.GetValueOrDefault(byKey[k].Id))).ToArray()),
                    ["not_found"] = new JsonArray(wanted.Where(k => !byKey.ContainsKey(k)).Select(k => (JsonNode?)Api2Echo.Text(k)).ToArray()),
                });
        }
    }

    public static async Task<IResult> List(Api2Request request, IAssetStore assets, ILibraryStore libraries, PublicUrls urls, CancellationToken cancellationToken)
    {
        var limit = request.GetInt("limit", MaxListLimit, min: 0, max: MaxListLimit);
        var skip = request.GetInt("skip", 0, min: 0, max: int.MaxValue);
        var search = OptionalString(request, "search", MaxSearchLength);
        var list = await assets.ListAsync(request.Owner, limit, skip, search, cancellationToken).ConfigureAwait(false);
        var of = list.Count == 0 ? new Dictionary<string, IReadOnlyList<string>>() : await libraries.LibrariesOfAsync(request.Owner, list.Select(a => a.Id).ToList(), cancellationToken).ConfigureAwait(false);
        return Api2Results.Ok(new JsonObject { ["assets"] = new JsonArray(list.Select(a => (JsonNode?)AssetDto.From(a, urls, of.GetValueOrDefault(a.Id))).ToArray()) });
    }

    /// <summary><c>id</c> or <c>external_id</c> names the asset; with both, the asset <c>id</c> takes the external id.</summary>
    public static async Task<IResult> Update(Api2Request request, IAssetStore assets, PublicUrls urls, CancellationToken cancellationToken)
    {
        var assign = request.Params["id"] is not null && request.Params["external_id"] is not null;
        var target = await FindAsync(request, assets, cancellationToken, idWins: true).ConfigureAwait(false);
        var externalId = assign ? ValidExternalId(request.RequireString("external_id")) : null;
        var update = new AssetUpdate(OptionalString(request, "desc", MaxDescLength), Meta(request), externalId);

        return await assets.UpdateAsync(request.Owner, target.Id, update, cancellationToken).ConfigureAwait(false) switch
        {
            UpdateOutcome.Updated(var asset) => Api2Results.Ok(new JsonObject { ["asset"] = AssetDto.From(asset, urls) }),
            UpdateOutcome.ExternalIdTaken(var other) => Api2Results.Error(
                $"external_id '{Api2Echo.Text(externalId ?? "")}' already names asset {other}; delete that asset or change its external_id first"),
            _ => NotFound("id", target.Id),
        };
    }

    public static async Task<IResult> Delete(Api2Request request, AssetRemover remover, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> ids = request.Params["ids"] is not null
            ? request.RequireStringList("ids", MaxIds)
            : [request.RequireString("id")];
        var actions = new JsonArray();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var deleted = Ids.IsValid(id) && await remover.DeleteAsync(request.Owner, id, cancellationToken).ConfigureAwait(false) is not null;
            actions.Add(new JsonArray(Api2Echo.Text(id), deleted ? "deleted" : "Not found"));
        }

        return Api2Results.Ok(new JsonObject { ["actions"] = actions });
    }

    private static async Task<AssetManifest> FindAsync(Api2Request request, IAssetStore assets, CancellationToken cancellationToken, bool idWins = false)
    {
        if (request.Params["id"] is not null && (idWins || request.Params["external_id"] is null))
        {
            var id = request.RequireString("id");
            return (Ids.IsValid(id) ? await assets.GetAsync(request.Owner, id, cancellationToken).ConfigureAwait(false) : null)
                ?? throw new Api2Exception(NotFoundText("id", id));
        }

        if (request.Params["external_id"] is null)
        {
            throw new Api2Exception("Missing parameter 'id' or 'external_id' (the asset to act on)");
        }

        var externalId = request.RequireString("external_id");
        return await assets.GetByExternalIdAsync(request.Owner, externalId, cancellationToken).ConfigureAwait(false)
            ?? throw new Api2Exception(NotFoundText("external_id", externalId));
    }

    private static string ValidExternalId(string externalId)
    {
        var settings = AssetSettings.None;
        if (externalId.StartsWith(AssetSettings.ReplacePrefix, StringComparison.Ordinal)
            || !AssetSettings.TryRead("external_id", JsonValue.Create(externalId), ref settings, out var error))
        {
            throw new Api2Exception($"Parameter 'external_id': must be 1 to {AssetSettings.MaxExternalIdLength} characters without control characters or a '{AssetSettings.ReplacePrefix}' prefix");
        }

        return settings.ExternalId!;
    }

    /// <summary><c>meta</c>: a dictionary of strings and whole numbers; its keys are added or overwritten.</summary>
    private static Dictionary<string, AssetMetaValue>? Meta(Api2Request request)
    {
        if (request.GetObject("meta") is not { } given)
        {
            return null;
        }

        var meta = new Dictionary<string, AssetMetaValue>(StringComparer.Ordinal);
        foreach (var (key, value) in given)
        {
            if (key.Length is 0 or > AssetSettings.MaxMetaFieldLength || !AssetMetaValue.TryFrom(value, out var v)
                || v.Text?.Length > AssetSettings.MaxMetaValueLength)
            {
                throw new Api2Exception(
                    $"Parameter 'meta': field '{Api2Echo.Text(key, 80)}' must be named in 1 to {AssetSettings.MaxMetaFieldLength} characters and hold a string (at most {AssetSettings.MaxMetaValueLength} characters) or a whole number");
            }

            meta[key] = v;
        }

        return meta.Count <= AssetSettings.MaxMetaFields ? meta : throw new Api2Exception($"Parameter 'meta': at most {AssetSettings.MaxMetaFields} fields");
    }

    private static string? OptionalString(Api2Request request, string name, int maxLength) => request.Params[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { } s && s.Length <= maxLength => s,
        var other => throw new Api2Exception($"Parameter '{name}' must be a string of at most {maxLength} characters, not {Api2Echo.Json(other)}"),
    };

    private static string NotFoundText(string name, string value) =>
        $"Not found: there is no asset with {name} '{Api2Echo.Text(value)}' for this owner";

    private static IResult NotFound(string name, string value) => Api2Results.Error(NotFoundText(name, value));
}
