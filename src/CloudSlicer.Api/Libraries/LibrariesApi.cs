using System.Diagnostics;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Api.Assets;
using CloudSlicer.Core;
using CloudSlicer.Storage.Libraries;
using Microsoft.AspNetCore.Http;

namespace CloudSlicer.Api.Libraries;

/// <summary>
/// The <c>/api2/library/*</c> handlers: create, list, add_assets, remove_assets, share, unshare, delete.
/// Route table: <see cref="CloudSlicerApi"/>. A library the caller neither owns nor has been shared is
/// "Not found", exactly like one that does not exist.
/// </summary>
public static class LibrariesApi
{
    public static async Task<IResult> Create(Api2Request request, ILibraryStore libraries, CancellationToken cancellationToken)
    {
        var desc = Desc(request);
        var library = await libraries.CreateAsync(request.Owner, desc, cancellationToken).ConfigureAwait(false)
            ?? throw new Api2Exception($"An owner keeps at most {LibraryLimits.MaxLibrariesPerOwner} libraries; delete one with /api2/library/delete first");
        return Api2Results.Ok(new JsonObject { ["library"] = LibraryDto.From(library, request.Owner) });
    }

    public static async Task<IResult> List(Api2Request request, ILibraryStore libraries, CancellationToken cancellationToken)
    {
        var list = await libraries.ListAsync(request.Owner, cancellationToken).ConfigureAwait(false);
        return Api2Results.Ok(new JsonObject { ["libraries"] = new JsonArray(list.Select(l => (JsonNode?)LibraryDto.From(l, request.Owner)).ToArray()) });
    }

    /// <summary><c>asset_ids</c> that name no live asset of the caller are listed in <c>not_found</c>; the others are added.</summary>
    public static async Task<IResult> AddAssets(Api2Request request, ILibraryStore libraries, CancellationToken cancellationToken)
    {
        var id = LibraryId(request);
        var assets = AssetIds(request);
        return Answer(request, id, await libraries.AddAssetsAsync(request.Owner, id, assets, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>asset_ids</c> that are not in the library are listed in <c>not_found</c>.</summary>
    public static async Task<IResult> RemoveAssets(Api2Request request, ILibraryStore libraries, CancellationToken cancellationToken)
    {
        var id = LibraryId(request);
        var assets = AssetIds(request);
        return Answer(request, id, await libraries.RemoveAssetsAsync(request.Owner, id, assets, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<IResult> Share(Api2Request request, ILibraryStore libraries, CancellationToken cancellationToken)
    {
        var id = LibraryId(request);
        var owner = OwnerId(request);
        if (owner == request.Owner)
        {
            throw new Api2Exception("Parameter 'owner' is your own id: a library is always visible to its owner; share it with another owner's id");
        }

        return Answer(request, id, await libraries.ShareAsync(request.Owner, id, owner, cancellationToken).ConfigureAwait(false), owner);
    }

    public static async Task<IResult> Unshare(Api2Request request, ILibraryStore libraries, CancellationToken cancellationToken)
    {
        var id = LibraryId(request);
        var owner = OwnerId(request);
        return Answer(request, id, await libraries.UnshareAsync(request.Owner, id, owner, cancellationToken).ConfigureAwait(false), owner);
    }

    /// <summary>Deletes the caller's library (its assets stay, its shares end): <c>actions</c> as /api2/asset/delete answers.</summary>
    public static async Task<IResult> Delete(Api2Request request, ILibraryStore libraries, CancellationToken cancellationToken)
    {
        var id = request.RequireString("library_id");
        var deleted = Ids.IsValid(id) && await libraries.DeleteAsync(request.Owner, id, cancellationToken).ConfigureAwait(false);
        return Api2Results.Ok(new JsonObject { ["actions"] = new JsonArray(new JsonArray(Api2Echo.Text(id), deleted ? "deleted" : "Not found")) });
    }

    private static IResult Answer(Api2Request request, string id, LibraryOutcome outcome, string? owner = null) => outcome switch
    {
        LibraryOutcome.Changed(var library, var missing) => Api2Results.Ok(new JsonObject
        {
            ["library"] = LibraryDto.From(library, request.Owner),
            ["not_found"] = new JsonArray(missing.Select(a => (JsonNode?)Api2Echo.Text(a)).ToArray()),
        }),
        LibraryOutcome.NotFound => Api2Results.Error(NotFoundText(id)),
        LibraryOutcome.NotOwner => Api2Results.Error($"Library {id} is shared with you by its owner; only its owner can change it or share it"),
        LibraryOutcome.UnknownOwner => Api2Results.Error($"Not found: there is no owner '{Api2Echo.Text(owner ?? "")}'; pass the owner id (32 hex digits) of the account to share with"),
        LibraryOutcome.Full(var max) => Api2Results.Error($"Library {id} would hold more than {max} entries; nothing was changed (split the assets over several libraries)"),
        _ => throw new UnreachableException(),
    };

    private static string Desc(Api2Request request)
    {
        var desc = request.RequireString("desc").Trim();
        return desc.Length is > 0 and <= LibraryLimits.MaxDescLength && !desc.Any(char.IsControl)
            ? desc
            : throw new Api2Exception($"Parameter 'desc' must be 1 to {LibraryLimits.MaxDescLength} characters without control characters");
    }

    private static string LibraryId(Api2Request request)
    {
        var id = request.RequireString("library_id");
        return Ids.IsValid(id) ? id : throw new Api2Exception(NotFoundText(id));
    }

    private static string OwnerId(Api2Request request)
    {
        var owner = request.RequireString("owner");
        return Ids.IsValid(owner) ? owner : throw new Api2Exception($"Parameter 'owner' must be an owner id (32 lower-case hex digits), not '{Api2Echo.Text(owner)}'");
    }

    private static List<string> AssetIds(Api2Request request) =>
        request.RequireStringList("asset_ids", AssetsApi.MaxIds).Distinct(StringComparer.Ordinal).ToList();

    private static string NotFoundText(string id) =>
        $"Not found: there is no library '{Api2Echo.Text(id)}' owned by or shared with this owner";
}
