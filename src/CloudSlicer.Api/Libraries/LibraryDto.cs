using System.Text.Json.Nodes;
using CloudSlicer.Storage.Libraries;

namespace CloudSlicer.Api.Libraries;

/// <summary>
/// The library dictionary on the wire: <c>id</c>, <c>desc</c>, <c>owner</c>, <c>assets</c> (asset ids),
/// <c>shared_with</c> (owner ids), plus <c>created</c> (Unix ms). An owner it is shared with sees only itself in
/// <c>shared_with</c>: who else the owner shares with is the owner's business.
/// </summary>
public static class LibraryDto
{
    public static JsonObject From(Library library, string caller)
    {
        ArgumentNullException.ThrowIfNull(library);
        var sharedWith = library.Owner == caller ? library.SharedWith : library.SharedWith.Where(o => o == caller);
        return new JsonObject
        {
            ["id"] = library.Id,
            ["desc"] = library.Desc,
            ["owner"] = library.Owner,
            ["assets"] = new JsonArray(library.Assets.Select(a => (JsonNode?)a).ToArray()),
            ["shared_with"] = new JsonArray(sharedWith.Select(o => (JsonNode?)o).ToArray()),
            ["created"] = library.Created,
        };
    }
}
