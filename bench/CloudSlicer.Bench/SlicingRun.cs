using CloudSlicer.Testing;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudSlicer.Bench;

/// <summary>
/// Where a CloudSlicer job's time went, read from the server's output on the bench's clock (seconds since the
/// create call was sent). A null mark was not seen.
/// </summary>
public sealed record JobPhases(
    double? Claimed,
    double? Downloaded,
    double? ProbeStarted,
    double? LadderStarted,
    double? PosterStarted,
    double? DoneLogged,
    double DoneSeen)
{
    /// <summary>Create sent to the slicer claiming the job (the signed API call, the queue insert, the slicer's wake-up).</summary>
    public double? Queue => Claimed;

    /// <summary>Claim to downloaded (the sidecar look-up and the source fetch).</summary>
    public double? Download => Span(Claimed, Downloaded);

    /// <summary>Downloaded to the ladder ffmpeg starting (ffprobe, planning, a heartbeat).</summary>
    public double? Probe => Span(Downloaded, LadderStarted);

    /// <summary>The ladder ffmpeg, start to the poster ffmpeg starting (when it has exited).</summary>
    public double? Encode => Span(LadderStarted, PosterStarted);

    /// <summary>The poster ffmpeg and storing the asset, up to the slicer logging it done.</summary>
    public double? PosterAndStore => Span(PosterStarted, DoneLogged);

    /// <summary>The slicer logging done to the bench's poll seeing it.</summary>
    public double? Poll => Span(DoneLogged, DoneSeen);

    private static double? Span(double? from, double? to) => from is { } f && to is { } t ? t - f : null;
}

/// <param name="Cpu">CPU time the server used meanwhile: its own, and its media tools' (reaped children).</param>
public sealed record SlicingResult(TimeSpan Elapsed, CpuTimes Cpu, string JobId, string Asset, JobPhases Phases, string? LadderCommandLogged);

/// <summary>One CloudSlicer run: create → poll jobs/get → done, timed with a Stopwatch, and its asset checked over HTTP.</summary>
public static partial class SlicingRun
{
    public static async Task<SlicingResult> RunAsync(CloudSlicerProcess server, Jobs jobs, string sourceUrl, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var cpuBefore = CpuTimes.Of(server.Pid);
        var start = Stopwatch.GetTimestamp();
        var id = await jobs.CreateAsync(sourceUrl, cancellationToken);
        using var timer = new PeriodicTimer(pollInterval);
        JsonObject job;
        while (true)
        {
            await timer.WaitForNextTickAsync(cancellationToken);
            job = await jobs.GetAsync(id, cancellationToken);
            var state = job.State();
            if (state == "done")
            {
                break;
            }

            if (state is "error" or "cancelled")
            {
                throw new InvalidOperationException($"CloudSlicer job {id} ended '{state}': {job["last_error"]}\n{Tail(server)}");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        var cpu = CpuTimes.Of(server.Pid) - cpuBefore;
        var asset = job["asset"]?.GetValue<string>() ?? throw new InvalidOperationException($"job {id} is done without an asset");

        // The slicer logs "done" after committing it; give the line a moment to arrive.
        var doneMarker = $"Job {id} done";
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
        while (!server.Lines.Any(l => l.Timestamp >= start && l.Text.Contains(doneMarker, StringComparison.Ordinal))
               && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        var (phases, ladder) = ReadPhases(server.Lines, id, start, elapsed);
        return new SlicingResult(elapsed, cpu, id, asset, phases, ladder);
    }

    /// <summary>Checks the asset as a player sees it: the master lists every planned ray, each with the baseline's segment count.</summary>
    public static async Task CheckAssetAsync(HttpClient http, string asset, IReadOnlyDictionary<string, int> baselineSegments, int rays, CancellationToken cancellationToken)
    {
        var master = await http.GetStringAsync($"/{asset}.m3u8", cancellationToken);
        var variants = HlsPlaylists.VariantCount(master);
        if (variants != rays)
        {
            throw new InvalidOperationException($"asset {asset}: the master lists {variants} rays, the baseline planned {rays}:\n{master}");
        }

        foreach (var uri in HlsPlaylists.Uris(master))
        {
            var rendition = uri.Split('/')[^2];
            var segments = HlsPlaylists.SegmentCount(await http.GetStringAsync("/" + uri, cancellationToken));
            if (!baselineSegments.TryGetValue(rendition, out var expected) || segments != expected)
            {
                throw new InvalidOperationException($"asset {asset}: rendition '{rendition}' has {segments} segments, the baseline's has {expected}");
            }
        }
    }

    /// <summary>The job's marks from the stamped server output, and the ladder command the slicer logged.</summary>
    private static (JobPhases, string?) ReadPhases(IReadOnlyList<LogLine> lines, string id, long start, TimeSpan doneSeen)
    {
        var mine = lines.Where(l => l.Timestamp >= start).ToList();
        double? First(Func<string, bool> match) =>
            mine.FirstOrDefault(l => match(l.Text)) is { } line ? Stopwatch.GetElapsedTime(start, line.Timestamp).TotalSeconds : null;

        var ladder = mine.FirstOrDefault(l => IsFfmpegStart(l.Text) && l.Text.Contains("-filter_complex", StringComparison.Ordinal))?.Text;
        var phases = new JobPhases(
            Claimed: First(t => t.Contains($"claimed job {id}", StringComparison.Ordinal)),
            Downloaded: First(t => t.Contains("Downloaded ", StringComparison.Ordinal) && t.Contains(" bytes from ", StringComparison.Ordinal)),
            ProbeStarted: First(t => t.Contains("Starting ffprobe with", StringComparison.Ordinal)),
            LadderStarted: First(t => IsFfmpegStart(t) && t.Contains("-filter_complex", StringComparison.Ordinal)),
            PosterStarted: First(t => IsFfmpegStart(t) && t.Contains("mjpeg", StringComparison.Ordinal)),
            DoneLogged: First(t => t.Contains($"Job {id} done", StringComparison.Ordinal)),
            DoneSeen: doneSeen.TotalSeconds);
        return (phases, ladder is null ? null : ladder[(ladder.IndexOf("Starting ffmpeg with ", StringComparison.Ordinal) + "Starting ffmpeg with ".Length)..]);
    }

    private static bool IsFfmpegStart(string text) => text.Contains("Starting ffmpeg with ", StringComparison.Ordinal);

    /// <summary>
    /// Whether the slicer's logged ffmpeg arguments are the baseline's, paths aside (the log joins them with ", ").
    /// </summary>
    public static bool SameCommand(string logged, IReadOnlyList<string> baselineArguments) =>
        Normalize(logged) == Normalize(string.Join(", ", baselineArguments));

    private static string Normalize(string arguments) => AbsolutePath().Replace(arguments.Trim(), "<path>");

    public static string Tail(CloudSlicerProcess server) =>
        string.Join('\n', server.Lines.TakeLast(20).Select(l => l.Text));

    [GeneratedRegex(@"(file:)?/[^,\s]*")]
    private static partial Regex AbsolutePath();
}
