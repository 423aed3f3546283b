namespace CloudSlicer.Slicer.Sources;

/// <summary>
/// Reads a Slicebot <c>.cfg</c> sidecar: <c>name = value</c> lines. The file comes from whoever hosts the
/// source, so anything that is not a plain setting line is skipped rather than trusted or thrown on.
/// </summary>
public static class SidecarConfig
{
    // Settings are short; a longer line is garbage or an attack, and skipping it keeps memory bounded.
    private const int MaxLineLength = 64 * 1024;
    private const int MaxNameLength = 64;

    /// <summary>
    /// Settings by name (lower case; a later line wins over an earlier one). Blank lines, <c>#</c> and <c>;</c>
    /// comments, <c>[section]</c> headers, lines without <c>=</c>, odd names and values with control characters are skipped.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in (text ?? "").TrimStart('\uFEFF').Split(['\r', '\n']))
        {
            if (raw.Length > MaxLineLength)
            {
                continue;
            }

            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' or '[')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = line[..equals].TrimEnd();
            var value = line[(equals + 1)..].TrimStart();
            if (IsName(name) && !value.Any(c => char.IsControl(c) && c != '\t'))
            {
                settings[name.ToLowerInvariant()] = value;
            }
        }

        return settings;
    }

    private static bool IsName(string name) =>
        name.Length <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
