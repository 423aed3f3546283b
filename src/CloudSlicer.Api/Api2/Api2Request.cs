using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CloudSlicer.Api.Api2;

/// <summary>
/// A verified api2 call as handlers see it: the caller's owner id and the decoded parameters.
/// Bound from what <see cref="Api2Middleware"/> stored on the request, so handlers never touch raw form fields.
/// </summary>
public sealed class Api2Request(string owner, JsonObject parameters)
{
    internal const string ItemKey = "CloudSlicer.Api2Request";

    public string Owner { get; } = owner;

    public JsonObject Params { get; } = parameters;

    /// <remarks>
    /// Only endpoints in an api2 group bind this, and Api2Middleware refuses to start with any other (see
    /// <see cref="Api2Groups.MapApi2Group"/>), so a request without a verified caller cannot get here.
    /// </remarks>
    public static ValueTask<Api2Request?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<Api2Request?>(context.Items[ItemKey] as Api2Request
            ?? throw new InvalidOperationException("api2 endpoint reached without a verified signature: map it with MapApi2Group and call UseApi2Signing()"));

    public string RequireString(string name)
    {
        var value = Params[name];
        return value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s
            ? s
            : throw new Api2Exception(value is null
                ? $"Missing parameter '{name}'"
                : $"Parameter '{name}' must be a non-empty string, not {Api2Echo.Json(value)}");
    }

    /// <summary>A whole number given as a JSON number or a numeric string, or <paramref name="fallback"/> when absent.</summary>
    public int GetInt(string name, int fallback, int min, int max)
    {
        var value = Params[name];
        if (value is null)
        {
            return fallback;
        }

        var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value.ToJsonString();
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min)
        {
            throw new Api2Exception($"Parameter '{name}' must be a whole number of at least {min}, not {Api2Echo.Json(value)}");
        }

        return (int)Math.Min(n, max);
    }

    /// <summary>A list of strings; a single string is taken as a list of one (clients send both).</summary>
    public IReadOnlyList<string> RequireStringList(string name, int maxCount)
    {
        var list = Params[name] switch
        {
            JsonArray array => array.Select(item => item is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw new Api2Exception($"Parameter '{name}' must be a list of strings; found {Api2Echo.Json(item)}")).ToList(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
            null => throw new Api2Exception($"Missing parameter '{name}' (a list of ids)"),
            var other => throw new Api2Exception($"Parameter '{name}' must be a list of strings, not {Api2Echo.Json(other)}"),
        };

        return list.Count <= maxCount ? list : throw new Api2Exception($"Parameter '{name}' has {list.Count} entries; at most {maxCount} are allowed per call");
    }

    public JsonObject? GetObject(string name) => Params[name] switch
    {
        null => null,
        JsonObject o => o,
        var other => throw new Api2Exception($"Parameter '{name}' must be a dictionary, not {Api2Echo.Json(other)}"),
    };
}
