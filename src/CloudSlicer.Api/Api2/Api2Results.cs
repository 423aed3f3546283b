using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CloudSlicer.Api.Api2;

/// <summary>
/// The api2 envelope, in one place: HTTP 200 and a JSON object whose integer <c>error</c> is 0 on success,
/// or <c>{"error": 1, "msg": "..."}</c> on failure (the failure shape is this project's choice; the seed
/// documents only <c>error</c>).
/// </summary>
public static class Api2Results
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // A request may nest as deep as the parser allows (64), and an answer wraps what it echoes in levels
        // of its own ({"jobs": [{"args": ...}]}): the writer must take what the parser took, or one stored job
        // would break every list of its owner.
        MaxDepth = 128,
    };

    public static IResult Ok(JsonObject body)
    {
        body["error"] = 0;
        return Results.Text(body.ToJsonString(Options), "application/json; charset=utf-8");
    }

    public static IResult Error(string message) =>
        Results.Text(new JsonObject { ["error"] = 1, ["msg"] = message }.ToJsonString(Options), "application/json; charset=utf-8");
}
