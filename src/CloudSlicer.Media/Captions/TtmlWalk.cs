using System.Xml;

namespace CloudSlicer.Media.Captions;

/// <summary>
/// One pass over the document with a stack of open elements. Timing follows TTML's par/seq semantics:
/// in a <c>par</c> container (the default) a child's begin and end count from the parent's begin; in a
/// <c>seq</c> container from the previous sibling's end; <c>dur</c> counts from the element's own begin;
/// and no element outlives its parent.
/// </summary>
internal sealed class TtmlWalk(XmlReader reader, TtmlLimits limits)
{
    private static readonly TimeSpan Never = Cue.Indefinite;

    private readonly Stack<Frame> _open = new();
    private readonly List<Cue> _cues = [];
    private TtmlTimeParameters _time = TtmlTimeParameters.Default;
    private string _ns = "";
    private TtmlParagraph? _paragraph;

    private int Line => reader is IXmlLineInfo info ? info.LineNumber : 0;

    public IReadOnlyList<Cue> Run()
    {
        var sawRoot = false;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (!sawRoot)
                    {
                        Root();
                        sawRoot = true;
                    }
                    else
                    {
                        Element();
                    }

                    break;
                case XmlNodeType.EndElement:
                    End();
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    Text();
                    break;
            }
        }

        if (!sawRoot)
        {
            throw new CaptionException("the document has no root element; it is not TTML");
        }

        return [.. _cues.OrderBy(c => c.Start).ThenBy(c => c.End)];
    }

    private void Root()
    {
        if (reader.LocalName != "tt")
        {
            throw CaptionException.At(Line, $"the root element is <{CaptionException.Quote(reader.Name)}>, not TTML's <tt>");
        }

        if (!TtmlNamespaces.IsElementNamespace(reader.NamespaceURI))
        {
            throw CaptionException.At(Line, $"<tt> is in namespace '{CaptionException.Quote(reader.NamespaceURI)}', not TTML's ({TtmlNamespaces.Ttml}) or DFXP's ({TtmlNamespaces.Dfxp2006_10})");
        }

        _ns = reader.NamespaceURI;
        var timeBase = Parameter("timeBase");
        if (timeBase is not null and not "media" and not "smpte")
        {
            throw CaptionException.At(Line, $"ttp:timeBase '{CaptionException.Quote(timeBase)}' is not supported; use media (or smpte) time");
        }

        _time = TtmlTimeParameters.From(Parameter("frameRate"), Parameter("subFrameRate"), Parameter("frameRateMultiplier"), Parameter("tickRate"), Line);
        if (!reader.IsEmptyElement)
        {
            _open.Push(new Frame(Kind.Timed, TimeSpan.Zero, Never, Seq: false));
        }
    }

    private void Element()
    {
        if (reader.Depth >= limits.MaxDepth)
        {
            throw CaptionException.At(Line, $"elements are nested more than {limits.MaxDepth} deep; TTML captions need a handful of levels");
        }

        var parent = _open.Peek();
        var kind = parent.Kind == Kind.Ignored || reader.NamespaceURI != _ns ? Kind.Ignored : reader.LocalName switch
        {
            "body" or "div" or "p" or "span" => Kind.Timed,
            "br" => Kind.Break,
            _ => Kind.Ignored, // head (styling, layout), metadata, set, and anything foreign
        };

        if (kind == Kind.Ignored)
        {
            if (!reader.IsEmptyElement)
            {
                _open.Push(new Frame(Kind.Ignored, Never, Never, Seq: false));
            }

            return;
        }

        var (begin, end) = Interval(parent);
        if (kind == Kind.Break)
        {
            _paragraph?.AddBreak(begin, end);
            if (!reader.IsEmptyElement)
            {
                _open.Push(new Frame(Kind.Ignored, Never, Never, Seq: false));
            }

            return;
        }

        var container = reader.GetAttribute("timeContainer");
        if (container is not null and not "par" and not "seq")
        {
            throw CaptionException.At(Line, $"timeContainer '{CaptionException.Quote(container)}' is neither par nor seq");
        }

        var isParagraphStart = reader.LocalName == "p" && _paragraph is null;
        if (isParagraphStart)
        {
            _paragraph = new TtmlParagraph(begin, end, Line);
        }

        if (reader.IsEmptyElement)
        {
            if (isParagraphStart)
            {
                _paragraph = null;
            }

            return;
        }

        _open.Push(new Frame(Kind.Timed, begin, end, container == "seq", isParagraphStart));
    }

    /// <summary>The element's active interval on the document timeline, from begin/end/dur and its parent's.</summary>
    private (TimeSpan Begin, TimeSpan End) Interval(Frame parent)
    {
        var beginText = reader.GetAttribute("begin");
        var endText = reader.GetAttribute("end");
        var durText = reader.GetAttribute("dur");
        var syncBase = parent.Seq ? parent.NextChild : parent.Begin;
        if (syncBase == Never)
        {
            return (Never, Never); // after an open-ended sibling in a seq: never starts
        }

        var begin = Add(syncBase, beginText is null ? TimeSpan.Zero : TtmlTime.Parse("begin", beginText, _time, Line));
        var end = parent.End;
        if (endText is not null)
        {
            end = Min(end, Add(syncBase, TtmlTime.Parse("end", endText, _time, Line)));
        }

        if (durText is not null)
        {
            end = Min(end, Add(begin, TtmlTime.Parse("dur", durText, _time, Line)));
        }

        if (parent.Seq)
        {
            parent.NextChild = end;
        }

        return (begin, end);
    }

    private void End()
    {
        if (_open.Count == 0)
        {
            return;
        }

        var frame = _open.Pop();
        if (frame.StartsParagraph && _paragraph is not null)
        {
            _cues.AddRange(_paragraph.Cues());
            _paragraph = null;
            if (_cues.Count > limits.MaxCues)
            {
                throw CaptionException.At(Line, $"the document has more than {limits.MaxCues} cues");
            }
        }
    }

    private void Text()
    {
        if (_paragraph is null || _open.Count == 0)
        {
            return; // white space between divs, or text in head/metadata
        }

        var frame = _open.Peek();
        if (frame.Kind == Kind.Timed)
        {
            _paragraph.AddText(reader.Value, reader.XmlSpace == XmlSpace.Preserve, frame.Begin, frame.End);
        }
    }

    private string? Parameter(string name)
    {
        for (var more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
        {
            if (reader.LocalName == name && TtmlNamespaces.IsParameterNamespace(reader.NamespaceURI))
            {
                var value = reader.Value;
                reader.MoveToElement();
                return value;
            }
        }

        reader.MoveToElement();
        return null;
    }

    private static TimeSpan Add(TimeSpan a, TimeSpan b) => a == Never || b == Never || a > Never - b ? Never : a + b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private enum Kind
    {
        Timed,
        Break,
        Ignored,
    }

    /// <summary>An open element: its interval and, in a seq container, where the next child begins.</summary>
    private sealed record Frame(Kind Kind, TimeSpan Begin, TimeSpan End, bool Seq, bool StartsParagraph = false)
    {
        public TimeSpan NextChild { get; set; } = Begin;
    }
}
