using System.Text.RegularExpressions;

namespace CloudSlicer.Media;

/// <summary>
/// The first line and the last few lines a tool wrote to stderr: enough for an error message, bounded
/// so a chatty or hostile source cannot grow memory.
/// </summary>
internal sealed partial class StderrTail(int capacity)
{
    private const int MaxLineLength = 400;
    private readonly Queue<string> _lines = new();

    public string? FirstLine { get; private set; }

    public IReadOnlyList<string> Lines => [.. _lines];

    public async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            Add(line);
        }
    }

    public void Add(string line)
    {
        var clean = Clean(line);
        if (clean.Length == 0)
        {
            return;
        }

        FirstLine ??= clean;
        _lines.Enqueue(clean);
        if (_lines.Count > capacity)
        {
            _lines.Dequeue();
        }
    }

    public override string ToString() => string.Join(" | ", _lines);

    /// <summary>"[hls @ 0x55e0c2a1]" carries a heap address that differs every run; "[hls]" says the same.</summary>
    private static string Clean(string line)
    {
        var trimmed = ContextAddress().Replace(line.Trim(), "]");
        return trimmed.Length <= MaxLineLength ? trimmed : trimmed[..MaxLineLength] + "...";
    }

    [GeneratedRegex(@" @ 0x[0-9a-fA-F]+\]")]
    private static partial Regex ContextAddress();
}
