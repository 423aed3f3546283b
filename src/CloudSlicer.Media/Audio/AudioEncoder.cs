using System.Globalization;
using CloudSlicer.Media.Ffmpeg;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Media.Audio;

/// <summary>
/// Encodes an export's audio. HE-AAC v1: ffmpeg decodes to PCM on a pipe, the Fraunhofer library
/// (libfdk-aac2, called in-process) encodes it to ADTS in a file beside the output, and ffmpeg puts
/// that into the MP4 by stream copy. AAC-LC: ffmpeg's own <c>aac</c> in one run. Memory stays at a
/// frame's worth of PCM whatever the length; cancelling kills every ffmpeg it started.
/// </summary>
public sealed class AudioEncoder(FfmpegRunner ffmpeg, IOptions<MediaOptions> options, ILogger<AudioEncoder> logger)
{
    private const int BytesPerStereoSample = 4;
    private const double EncodeShare = 0.95;

    /// <exception cref="MediaException">the source is missing or has no audio, the library is missing, or ffmpeg failed.</exception>
    /// <exception cref="OperationCanceledException">cancelled; no ffmpeg is left running and no output is left behind.</exception>
    public async Task EncodeAsync(AudioEncodeRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (!File.Exists(request.Input))
        {
            throw new MediaException("The audio source to encode does not exist; slice the asset again") { Permanent = true };
        }

        try
        {
            if (request.Profile == AacProfile.AacLc)
            {
                var kbps = request.Kbps ?? options.Value.AudioKbps;
                var args = AudioEncodeCommands.AacLc(request.Input, request.Output, kbps, request.SampleRate, request.Timeline);
                await ffmpeg.RunAsync(args, request.Duration ?? TimeSpan.Zero, progress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await EncodeHeAacAsync(request, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            File.Delete(request.Output);
            throw;
        }

        progress?.Report(1);
    }

    private async Task EncodeHeAacAsync(AudioEncodeRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var kbps = request.Kbps ?? AudioEncodeRequest.HeAacDefaultKbps;
        var adts = request.Output + ".adts";
        using var encoder = FdkAacEncoder.Open(request.SampleRate, kbps * 1000);
        try
        {
            var file = new FileStream(adts, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await DecodeAndEncodeAsync(request, encoder, file, progress, cancellationToken).ConfigureAwait(false);
            }

            var mux = AudioEncodeCommands.MuxAdts(adts, request.Output, encoder.Delay, request.SampleRate);
            await ffmpeg.RunAsync(mux, request.Duration ?? TimeSpan.Zero, progress: null, cancellationToken).ConfigureAwait(false);

            // ADTS signals SBR only implicitly; the MP4 says HE-AAC explicitly (docs/audio.md).
            await Mp4Esds.ReplaceAudioConfigAsync(request.Output, FdkAacEncoder.ExplicitConfig(request.SampleRate, kbps * 1000), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(adts);
            File.Delete(request.Output + ".esds");
        }
    }

    private async Task DecodeAndEncodeAsync(
        AudioEncodeRequest request, FdkAacEncoder encoder, FileStream adts, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        watchdog.CancelAfter(o.StallTimeout);
        var bytesPerSecond = (double)request.SampleRate * BytesPerStereoSample;

        async Task PumpAsync(StreamReader stdout)
        {
            // The PCM is binary: read the pipe itself, never through the reader's text decoding. Read to
            // EOF whatever the token says, so a killed decoder's pipe drains until it is gone.
            var pcm = stdout.BaseStream;
            var input = encoder.Input;
            var filled = 0;
            long total = 0;
            int read;
            while ((read = await pcm.ReadAsync(input[filled..], CancellationToken.None).ConfigureAwait(false)) > 0)
            {
                watchdog.CancelAfter(o.StallTimeout);
                filled += read;
                total += read;
                if (filled == input.Length)
                {
                    await WriteAsync(encoder.Encode(filled, out filled)).ConfigureAwait(false);
                    if (request.Duration is { TotalSeconds: > 0 } d)
                    {
                        progress?.Report(Math.Min(1, total / bytesPerSecond / d.TotalSeconds) * EncodeShare);
                    }
                }
            }

            if (watchdog.IsCancellationRequested)
            {
                return;
            }

            // The last partial frame (whole samples only), then flush what the encoder still holds.
            filled -= filled % BytesPerStereoSample;
            while (filled > 0)
            {
                var before = filled;
                await WriteAsync(encoder.Encode(filled, out filled)).ConfigureAwait(false);
                if (filled == before)
                {
                    break;
                }
            }

            int flushed;
            while ((flushed = encoder.Encode(0, out _)) >= 0)
            {
                await WriteAsync(flushed).ConfigureAwait(false);
            }
        }

        async Task WriteAsync(int bytes)
        {
            if (bytes > 0)
            {
                await adts.WriteAsync(encoder.Output[..bytes], CancellationToken.None).ConfigureAwait(false);
            }
        }

        var args = AudioEncodeCommands.DecodeToPcm(request.Input, request.SampleRate, request.Timeline);
        var exit = await ToolProcess.RunAsync(o.FfmpegPath, args, PumpAsync, logger, watchdog.Token).ConfigureAwait(false);
        if (exit.Killed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seconds = o.StallTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            throw new FfmpegException(
                $"ffmpeg made no progress decoding the audio for {seconds} s and was stopped: {exit.Stderr}", exitCode: null, exit.Stderr.Lines);
        }

        if (exit.ExitCode != 0)
        {
            if (exit.Stderr.Lines.Any(l => l.Contains("matches no streams", StringComparison.Ordinal)))
            {
                throw new MediaException("The source has no audio stream to encode") { Permanent = true };
            }

            var detail = exit.Stderr.Lines.Count > 0 ? exit.Stderr.ToString() : "no error output";
            throw new FfmpegException(
                $"ffmpeg failed decoding the audio with exit code {exit.ExitCode}: {detail}", exit.ExitCode, exit.Stderr.Lines);
        }
    }
}
