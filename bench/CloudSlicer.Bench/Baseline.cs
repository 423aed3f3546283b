using CloudSlicer.Testing;
using System.Diagnostics;
using System.Text;
using CloudSlicer.Core.Assets;
using CloudSlicer.Media;
using CloudSlicer.Media.Ffmpeg;
using CloudSlicer.Media.Probe;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Bench;

/// <summary>
/// The bare ffmpeg command that makes the same ladder CloudSlicer makes, built by the production code path:
/// FfprobeRunner, LadderPlanner.Plan with the default table, FfmpegCommands.HlsLadder with the default preset.
/// </summary>
public sealed class Baseline
{
    public const string Preset = "veryfast";

    private Baseline(string source, SourceInfo info, IReadOnlyList<Ray> rays)
    {
        Source = source;
        Info = info;
        Rays = rays;
    }

    public string Source { get; }

    public SourceInfo Info { get; }

    public IReadOnlyList<Ray> Rays { get; }

    /// <summary>Where the output starts in the source (<c>-ss</c> before <c>-i</c>, as <c>/jobs/create</c>'s trim does); null: the start.</summary>
    public TimeSpan? TrimStart { get; private init; }

    /// <summary>How much of the source the output keeps (<c>-t</c>); null: all of it.</summary>
    public TimeSpan? TrimDuration { get; private init; }

    public static async Task<Baseline> PlanAsync(string source, CancellationToken cancellationToken)
    {
        var options = Options.Create(new MediaOptions { FfmpegPath = Tools.Ffmpeg, FfprobePath = Tools.Ffprobe });
        var probe = new FfprobeRunner(options, NullLogger<FfprobeRunner>.Instance);
        var info = (await probe.ProbeAsync(source, cancellationToken)).ToSourceInfo();
        return new Baseline(source, info, LadderPlanner.Plan(info, LadderPlanner.DefaultTable));
    }

    /// <summary>The same ladder of part of the source: what a bare ffmpeg run makes for a clip.</summary>
    public Baseline Trimmed(TimeSpan start, TimeSpan duration) =>
        new(Source, Info, Rays) { TrimStart = start, TrimDuration = duration };

    /// <summary>The argument list, exactly as the production code makes it, writing into <paramref name="outputDirectory"/>.</summary>
    public IReadOnlyList<string> Arguments(string outputDirectory) =>
        FfmpegCommands.HlsLadder(new HlsLadderRequest(Source, outputDirectory, Rays, Info.HasAudio)
        {
            Preset = Preset,
            TrimStart = TrimStart,
            TrimDuration = TrimDuration,
        });

    /// <summary>
    /// Runs /usr/bin/ffmpeg with <see cref="Arguments"/>; returns the wall-clock time from start to exit and the CPU
    /// time ffmpeg used (this process's reaped-children time; nothing else runs as its child meanwhile).
    /// </summary>
    public async Task<(TimeSpan Wall, TimeSpan Cpu)> RunAsync(string outputDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Tools.Ffmpeg)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in Arguments(outputDirectory))
        {
            start.ArgumentList.Add(arg);
        }

        var stderr = new StringBuilder();
        var cpuBefore = CpuTimes.OfSelf();
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        process.StandardInput.Close();

        // The command asks for -progress pipe:1, so stdout must be drained as the slicer drains it.
        var drain = Task.WhenAll(
            DrainAsync(process.StandardOutput, null),
            DrainAsync(process.StandardError, stderr));
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await drain;
        stopwatch.Stop();
        var cpu = (CpuTimes.OfSelf() - cpuBefore).Children;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the baseline ffmpeg failed ({process.ExitCode}): {stderr}");
        }

        return (stopwatch.Elapsed, cpu);
    }

    /// <summary>Segments per rendition ("a", ..., "audio") in what a baseline run wrote.</summary>
    public IReadOnlyDictionary<string, int> SegmentCounts(string outputDirectory)
    {
        var names = Rays.Select(r => r.Name).Concat(Info.HasAudio ? [FfmpegCommands.AudioRendition] : []);
        return names.ToDictionary(
            name => name,
            name =>
            {
                var playlist = Path.Combine(outputDirectory, name, "index.m3u8");
                return File.Exists(playlist)
                    ? HlsPlaylists.SegmentCount(File.ReadAllText(playlist))
                    : throw new InvalidOperationException($"the baseline wrote no {playlist}");
            });
    }

    private static async Task DrainAsync(StreamReader reader, StringBuilder? keep)
    {
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            keep?.Append(buffer, 0, read);
        }
    }
}
