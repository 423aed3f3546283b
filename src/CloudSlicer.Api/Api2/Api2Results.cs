using System.Buffers;
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

    /// <summary>The writer settings of every answer: the same encoder and depth as <see cref="Ok(JsonObject)"/>.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = Options.Encoder,
        MaxDepth = Options.MaxDepth,
    };

    /// <summary>
    /// A success written member by member (hot paths: no <see cref="JsonObject"/> in between); <c>"error": 0</c>
    /// comes last, as in <see cref="Ok(JsonObject)"/>. Written now, so a failure is the handler's, not the response's.
    /// </summary>
    public static IResult Ok(Action<Utf8JsonWriter> writeMembers)
    {
        ArgumentNullException.ThrowIfNull(writeMembers);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteNumber("error", 0);
            writer.WriteEndObject();
        }

        return new Utf8Json(buffer.WrittenMemory);
    }

    public static IResult Ok(JsonObject body)
    {
        body["error"] = 0;
        return Results.Text(body.ToJsonString(Options), JsonType);
    }

    public static IResult Error(string message) =>
        Results.Text(new JsonObject { ["error"] = 1, ["msg"] = message }.ToJsonString(Options), JsonType);

    private const string JsonType = "application/json; charset=utf-8";

    /// <summary>An answer already written: its bytes with the headers <c>Results.Text</c> gives.</summary>
    private sealed class Utf8Json(ReadOnlyMemory<byte> body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.ContentType = JsonType;
            httpContext.Response.ContentLength = body.Length;
            return httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
        }
    }
}
