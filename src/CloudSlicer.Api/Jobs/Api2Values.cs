using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Core;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// Reads the scalar forms the job endpoints accept, the way Python clients send them: numbers as JSON numbers
/// or numeric strings, flags as 0/1, true/false or "1"/"0". Every refusal names the parameter and the form.
/// </summary>
public static class Api2Values
{
    public static string? OptionalString(JsonNode? value, string name, int maxLength) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { } s && s.Length <= maxLength
            ? s
            : throw new Api2Exception($"{name} is longer than {maxLength} characters"),
        var other => throw new Api2Exception($"{name} must be a string, not {Api2Echo.Json(other)}"),
    };

    public static bool Flag(JsonNode? value, string name) => value switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n is 0 or 1 => n == 1,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is "0" or "1" or "" or "true" or "false" =>
            v.GetValue<string>() is "1" or "true",
        var other => throw new Api2Exception($"{name} must be 0 or 1, not {Api2Echo.Json(other)}"),
    };

    /// <summary>A whole number of milliseconds, 0 to 7 days, given as a JSON number or a numeric string.</summary>
    public static bool TryMilliseconds(JsonNode? value, out long ms)
    {
        ms = 0;
        var text = value switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Trim(),
            _ => null,
        };
        return text is not null
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ms)
            && ms <= (long)TimeSpan.FromDays(7).TotalMilliseconds;
    }

    /// <summary>An asset id (32 hex digits) given as <paramref name="name"/>; anything else is an error naming it.</summary>
    public static string AssetId(JsonNode? value, string name)
    {
        var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        return text is not null && Ids.IsValid(text)
            ? text
            : throw new Api2Exception(value is null
                ? $"Missing parameter '{name}': the id of one of your assets"
                : $"{name} must be an asset id (32 hex digits), not {Api2Echo.Json(value)}");
    }
}
