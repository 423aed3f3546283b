using System.Globalization;
using System.Text;
using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Media.Ffmpeg;

/// <summary>A range of the input (after the trim window) that the asset leaves out.</summary>
public readonly record struct Cut(TimeSpan Start, TimeSpan End);

/// <summary>A PNG burnt into the video from <see cref="Start"/> to <see cref="End"/> (asset time; null: to the end).</summary>
public sealed record BugOverlay(string ImagePath, TimeSpan Start, TimeSpan? End);

/// <summary>
/// The filters the media settings become, as filtergraph text (pure). Times are seconds; expressions are
/// single-quoted so their commas stay inside the filter.
/// </summary>
public static class FfmpegFilters
{
    /// <summary>
    /// Drops the frames inside the cuts and moves every later frame back by what was cut before it, so the
    /// asset's timeline has no holes: <c>select</c> + <c>setpts</c> (video), <c>aselect</c> + <c>asetpts</c> (audio).
    /// </summary>
    public static IEnumerable<string> Cuts(IReadOnlyList<Cut> cuts, bool audio)
    {
        if (cuts.Count == 0)
        {
            yield break;
        }

        var inside = string.Join('+', cuts.Select(c => $"gte(t,{S(c.Start)})*lt(t,{S(c.End)})"));
        var removed = string.Join('+', cuts.Select(c => $"gte(T,{S(c.End)})*{S(c.End - c.Start)}"));
        var prefix = audio ? "a" : "";
        yield return $"{prefix}select='not({inside})'";
        yield return $"{prefix}setpts='PTS-({removed})/TB'";
    }

    /// <summary>Ends the stream at <paramref name="max"/> of asset time (<c>max_slices</c>).</summary>
    public static IEnumerable<string> Cap(TimeSpan? max, bool audio)
    {
        if (max is { } m)
        {
            yield return $"{(audio ? "a" : "")}trim=end={S(m)}";
        }
    }

    /// <summary><c>fade</c> (to and from black) or <c>afade</c> (to and from silence) for the fades that apply.</summary>
    public static IEnumerable<string> Fades(IReadOnlyList<Fade> fades, bool audio)
    {
        var target = audio ? FadeTarget.Audio : FadeTarget.Video;
        foreach (var f in fades.Where(f => f.Target.HasFlag(target)))
        {
            var type = f.Direction == FadeDirection.In ? "in" : "out";
            yield return $"{(audio ? "afade" : "fade")}=t={type}:st={S(TimeSpan.FromMilliseconds(f.StartMs))}:d={S(TimeSpan.FromMilliseconds(f.DurationMs))}";
        }
    }

    /// <summary>
    /// The display aspect <c>force_aspect_ratio</c> asks for. The rays are planned at that aspect and each is
    /// scaled to its size with square pixels, so this only says what the picture is meant to look like.
    /// </summary>
    public static IEnumerable<string> Aspect(AspectRatio? ratio)
    {
        if (ratio is { } r)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"setdar={r.Width}/{r.Height}");
        }
    }

    /// <summary>
    /// Graph statements overlaying each bug (input <c>firstInput + i</c>) on <paramref name="from"/>, scaled to
    /// the whole frame (a bug is drawn for the frame, transparent where the picture shows through). Returns
    /// the label of the result. In ffmpeg 5.1's scale2ref, iw/ih are the reference's (the frame's) size
    /// (main_w/main_h the image's own), which a real-ffmpeg test pins.
    /// </summary>
    public static string Overlays(StringBuilder graph, string from, IReadOnlyList<BugOverlay> bugs, int firstInput)
    {
        for (var i = 0; i < bugs.Count; i++)
        {
            var b = bugs[i];
            var enable = b.End is { } end ? $"between(t,{S(b.Start)},{S(end)})" : $"gte(t,{S(b.Start)})";
            var n = I(i);
            graph.Append('[').Append(I(firstInput + i)).Append(":v:0]format=rgba[bug").Append(n).Append("];")
                .Append("[bug").Append(n).Append("][").Append(from).Append("]scale2ref=w=iw:h=ih[bugs").Append(n).Append("][base").Append(n).Append("];")
                .Append("[base").Append(n).Append("][bugs").Append(n).Append("]overlay=eof_action=repeat:enable='").Append(enable).Append("'[bugged").Append(n).Append("];");
            from = "bugged" + n;
        }

        return from;
    }

    /// <summary>
    /// <c>mix_atracks</c>: each named source track folded to mono, merged, then panned into the left, the
    /// right or both channels (<c>&lt;</c> keeps a channel fed by several tracks from clipping).
    /// </summary>
    public static string AudioMix(IReadOnlyList<AudioMix> mix, string output)
    {
        var graph = new StringBuilder();
        foreach (var m in mix)
        {
            graph.Append("[0:a:").Append(I(m.Track)).Append("]aformat=channel_layouts=mono[m").Append(I(m.Track)).Append("];");
        }

        foreach (var m in mix)
        {
            graph.Append("[m").Append(I(m.Track)).Append(']');
        }

        string Feed(MixChannel side) =>
            string.Join('+', mix.Select((m, i) => (m, i)).Where(x => x.m.Channel == side || x.m.Channel == MixChannel.Both).Select(x => "c" + I(x.i))) is { Length: > 0 } s ? s : "0*c0";

        graph.Append(mix.Count > 1 ? $"amerge=inputs={I(mix.Count)}," : "")
            .Append("pan=stereo|c0<").Append(Feed(MixChannel.Left)).Append("|c1<").Append(Feed(MixChannel.Right))
            .Append('[').Append(output).Append(']');
        return graph.ToString();
    }

    private static string S(TimeSpan t) => FfmpegArgs.Seconds(t);

    private static string I(int n) => n.ToString(CultureInfo.InvariantCulture);
}
