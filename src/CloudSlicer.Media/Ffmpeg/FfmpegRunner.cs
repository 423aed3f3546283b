using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Media.Ffmpeg;

/// <summary>The only class that runs ffmpeg: start, drain, report progress, stop on cancel, fail with stderr.</summary>
public sealed class FfmpegRunner(IOptions<MediaOptions> options, ILogger<FfmpegRunner> logger)
{
    /// <summary>
    /// Runs ffmpeg with <paramref name="args"/> (from <see cref="FfmpegCommands"/>, which ask for
    /// <c>-progress pipe:1</c>). Progress is 0..1 of <paramref name="expectedOutputDuration"/>.
    /// Cancelling kills the process tree and throws <see cref="OperationCanceledException"/> once it is gone.
    /// </summary>
    /// <returns>How much output ffmpeg reported writing (its last <c>out_time</c>), so callers can spot a source that ended early.</returns>
    /// <exception cref="FfmpegException">ffmpeg exited non-zero, or stopped making progress.</exception>
    public async Task<TimeSpan> RunAsync(
        IReadOnlyList<string> args,
        TimeSpan expectedOutputDuration,
        IProgress<double>? progress,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        watchdog.CancelAfter(o.StallTimeout);
        var parser = new FfmpegProgress();
        var written = TimeSpan.Zero;

        async Task ReadProgressAsync(StreamReader stdout)
        {
            // Read to EOF whatever the token says: the pipe must drain until the killed process is gone.
            while (await stdout.ReadLineAsync(CancellationToken.None) is { } line)
            {
                if (parser.Read(line) is { } update)
                {
                    watchdog.CancelAfter(o.StallTimeout);
                    written = update.OutTime > written ? update.OutTime : written;
                    progress?.Report(update.FractionOf(expectedOutputDuration));
                }
            }
        }

        var exit = await ToolProcess.RunAsync(o.FfmpegPath, args, ReadProgressAsync, logger, watchdog.Token);
        if (exit.Killed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seconds = o.StallTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            throw new FfmpegException(
                $"ffmpeg made no progress for {seconds} s and was stopped: {exit.Stderr}", exitCode: null, exit.Stderr.Lines);
        }

        if (exit.ExitCode != 0)
        {
            var detail = exit.Stderr.Lines.Count > 0 ? exit.Stderr.ToString() : "no error output";
            throw new FfmpegException(
                $"ffmpeg failed with exit code {exit.ExitCode}: {detail}", exit.ExitCode, exit.Stderr.Lines);
        }

        return written;
    }
}
