using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Media;

/// <summary>How a media tool ended. <see cref="Killed"/>: the token fired and the process tree was killed.</summary>
internal sealed record ToolExit(int ExitCode, bool Killed, StderrTail Stderr);

/// <summary>
/// Starts ffmpeg or ffprobe, drains both pipes, and kills the whole process tree when the token fires.
/// Only <see cref="Ffmpeg.FfmpegRunner"/> and <see cref="Probe.FfprobeRunner"/> call it.
/// </summary>
internal static class ToolProcess
{
    private const int StderrLines = 20;

    public static async Task<ToolExit> RunAsync(
        string fileName,
        IReadOnlyList<string> args,
        Func<StreamReader, Task> readStdout,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var tool = Path.GetFileNameWithoutExtension(fileName);
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = startInfo };
        MediaLog.ToolStarting(logger, tool, args);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            // The message becomes a job's last_error: the reason, not the tool's path or our working
            // directory (which Win32Exception's own message names); the operator finds those in the log.
            MediaLog.ToolStartFailed(logger, tool, fileName, ex);
            var reason = new Win32Exception(ex.NativeErrorCode).Message;
            throw new MediaException($"Could not start {tool} ({reason}); check Media:FfmpegPath and Media:FfprobePath", ex);
        }

        var processId = process.Id;

        // The tools run with -nostdin; closing stdin anyway means nothing can ever read the host's console.
        process.StandardInput.Close();

        var stderr = new StderrTail(StderrLines);
        var pumps = Task.WhenAll(
            KillOnFailure(process, readStdout(process.StandardOutput)),
            stderr.PumpAsync(process.StandardError));

        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A stopped job's partial output is discarded, so there is nothing to finalise: kill, don't ask.
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            await pumps.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            MediaLog.ToolKilled(logger, tool, processId, "cancelled or timed out");
            return new ToolExit(process.ExitCode, Killed: true, stderr);
        }

        await pumps;
        return new ToolExit(process.ExitCode, Killed: false, stderr);
    }

    /// <summary>If the stdout reader fails, the tool would block on a full pipe forever: stop it instead.</summary>
    private static async Task KillOnFailure(Process process, Task reader)
    {
        try
        {
            await reader;
        }
        catch (Exception)
        {
            Kill(process);
            throw;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the token firing and the kill: nothing left to stop.
        }
    }
}
