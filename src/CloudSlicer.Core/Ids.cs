using System.Buffers;

namespace CloudSlicer.Core;

/// <summary>Job, asset and owner ids: 32 lower-case hex digits, like the hosted service's.</summary>
public static class Ids
{
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdef");

    public static string New() => Guid.NewGuid().ToString("N");

    public static bool IsValid(string? id) =>
        id is { Length: 32 } && !id.AsSpan().ContainsAnyExcept(Hex);
}
