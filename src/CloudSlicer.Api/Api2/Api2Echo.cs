using System.Text.Json.Nodes;

namespace CloudSlicer.Api.Api2;

/// <summary>
/// Client text quoted back in an error message, cut to a short prefix: an id or a value can be as long as the
/// message allows (a megabyte), and an error must not bounce it back whole.
/// </summary>
public static class Api2Echo
{
    public const int MaxLength = 64;

    /// <summary><paramref name="text"/> itself when short, else its first <see cref="MaxLength"/> characters and "…".</summary>
    public static string Text(string text, int maxLength = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxLength)
        {
            return text;
        }

        // Never cut a surrogate pair in half: half a pair is not text any JSON writer will take.
        var cut = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return string.Concat(text.AsSpan(0, cut), "…");
    }

    /// <summary>A JSON value as the client sent it (<c>"abc"</c>, <c>[1, 2]</c>, <c>null</c>), shortened like <see cref="Text"/>.</summary>
    public static string Json(JsonNode? node) => Text(node?.ToJsonString() ?? "null");
}
