using System.Text;

namespace CloudSlicer.Media.Captions;

/// <summary>
/// The text of one <c>&lt;p&gt;</c> as timed pieces; spans may have timing of their own, so the paragraph
/// becomes one cue per stretch of time in which the same pieces are showing.
/// </summary>
internal sealed class TtmlParagraph(TimeSpan begin, TimeSpan end, int line)
{
    /// <summary>Boundaries x pieces above this is a paragraph built to be slow, not a caption.</summary>
    private const long MaxWork = 20_000_000;

    private readonly List<Piece> _pieces = [];

    public int Line => line;

    public void AddText(string text, bool preserve, TimeSpan from, TimeSpan to) => _pieces.Add(new Piece(text, preserve, from, to));

    public void AddBreak(TimeSpan from, TimeSpan to) => _pieces.Add(new Piece(null, false, from, to));

    /// <summary>The paragraph's cues in time order; none when it shows nothing.</summary>
    public IEnumerable<Cue> Cues()
    {
        if (end <= begin || _pieces.Count == 0)
        {
            yield break;
        }

        var cuts = new SortedSet<TimeSpan> { begin, end };
        foreach (var piece in _pieces)
        {
            if (piece.From > begin && piece.From < end)
            {
                cuts.Add(piece.From);
            }

            if (piece.To > begin && piece.To < end)
            {
                cuts.Add(piece.To);
            }
        }

        if ((long)cuts.Count * _pieces.Count > MaxWork)
        {
            throw CaptionException.At(line, $"this paragraph has {cuts.Count} differently timed pieces; split it into several <p> elements");
        }

        Cue? pending = null;
        var from = begin;
        foreach (var cut in cuts.Skip(1))
        {
            var lines = Lines(from, cut);
            if (pending is not null && (lines.Count == 0 || pending.End != from || !pending.Lines.SequenceEqual(lines)))
            {
                yield return pending;
                pending = null;
            }

            if (lines.Count > 0)
            {
                pending = pending is null ? new Cue(from, cut, lines) : pending with { End = cut };
            }

            from = cut;
        }

        if (pending is not null)
        {
            yield return pending;
        }
    }

    /// <summary>The lines showing in [from, to): xml:space="default" text collapses runs of white space, preserve keeps them and breaks lines at line feeds.</summary>
    private List<string> Lines(TimeSpan from, TimeSpan to)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var piece in _pieces)
        {
            if (piece.From > from || piece.To < to)
            {
                continue;
            }

            if (piece.Text is null)
            {
                EndLine(lines, current);
                continue;
            }

            if (piece.Preserve)
            {
                var parts = piece.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r');
                for (var i = 0; i < parts.Length; i++)
                {
                    if (i > 0)
                    {
                        EndLine(lines, current);
                    }

                    current.Append(parts[i]);
                }

                continue;
            }

            foreach (var c in piece.Text)
            {
                if (c is ' ' or '\t' or '\n' or '\r')
                {
                    if (current.Length > 0 && current[^1] != ' ')
                    {
                        current.Append(' ');
                    }
                }
                else
                {
                    current.Append(c);
                }
            }
        }

        EndLine(lines, current);
        return lines;
    }

    private static void EndLine(List<string> lines, StringBuilder current)
    {
        var text = current.ToString().Trim();
        current.Clear();
        if (text.Length > 0)
        {
            lines.Add(text);
        }
    }

    /// <summary>Text, or a line break when <see cref="Text"/> is null, showing in [From, To).</summary>
    private sealed record Piece(string? Text, bool Preserve, TimeSpan From, TimeSpan To);
}
