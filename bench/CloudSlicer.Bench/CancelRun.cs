using CloudSlicer.Testing;
using System.Diagnostics;

namespace CloudSlicer.Bench;

/// <param name="CallReturned">Sending /jobs/cancel to its answer.</param>
/// <param name="Stopped">Sending /jobs/cancel to no ffmpeg mentioning the data directory being left in /proc.</param>
/// <param name="SlicedBeforeCancel">How far the encode had got ("Slicing 3%").</param>
public sealed record CancelResult(TimeSpan CallReturned, TimeSpan Stopped, string SlicedBeforeCancel);

/// <summary>Cancel-to-stopped: cancel a job mid-encode and watch /proc (every 5 ms) until its ffmpeg is gone.</summary>
public static class CancelRun
{
    private static readonly TimeSpan ProcPoll = TimeSpan.FromMilliseconds(5);

    public static async Task<CancelResult> RunAsync(CloudSlicerProcess server, Jobs jobs, string sourceUrl, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var id = await jobs.CreateAsync(sourceUrl, cancellationToken);

        // Slicing as jobs/get reports it, past 0%, with the ladder ffmpeg in /proc: the encode is under way, as when
        // a user cancels a long job. ("Slicing 0%" is written just before ffmpeg starts; a cancel that landed before
        // it would measure nothing, and one in its first milliseconds would stop a process that has barely begun.)
        var progress = "";
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(TimeSpan.FromMinutes(2));
            using var timer = new PeriodicTimer(pollInterval);
            while (true)
            {
                await timer.WaitForNextTickAsync(wait.Token);
                var job = await jobs.GetAsync(id, wait.Token);
                progress = job.Progress();
                if (job.State() is "done" or "error" or "cancelled")
                {
                    throw new InvalidOperationException($"job {id} ended '{job.State()}' before it could be cancelled mid-slice");
                }

                if (progress.StartsWith("Slicing", StringComparison.Ordinal) && progress != "Slicing 0%"
                    && ProcessScan.FfmpegMentioning(server.DataDirectory).Count > 0)
                {
                    break;
                }
            }
        }

        var start = Stopwatch.GetTimestamp();
        var cancelled = await jobs.CancelAsync(id, cancellationToken);
        var returned = Stopwatch.GetElapsedTime(start);
        if (cancelled.State() != "cancelled")
        {
            throw new InvalidOperationException($"jobs/cancel answered state '{cancelled.State()}' for job {id}");
        }

        while (ProcessScan.FfmpegMentioning(server.DataDirectory).Count > 0)
        {
            if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"ffmpeg for job {id} was still running 60 s after the cancel");
            }

            await Task.Delay(ProcPoll, cancellationToken);
        }

        var stopped = Stopwatch.GetElapsedTime(start);

        // Let the slicer finish cleaning up before the next trial, so every trial starts from an idle slicer.
        var marker = $"Job {id} cancelled while assigned";
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 30);
        while (!server.Lines.Any(l => l.Text.Contains(marker, StringComparison.Ordinal)) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        return new CancelResult(returned, stopped, progress);
    }
}
