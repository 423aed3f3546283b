using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Media.Probe;

/// <summary>Describes a downloaded source with ffprobe, refusing anything that is not an allowed media container.</summary>
public sealed partial class FfprobeRunner(IOptions<MediaOptions> options, ILogger<FfprobeRunner> logger)
{
    /// <exception cref="MediaException">
    /// The file is not media ffprobe recognises, is a playlist/list/manifest or another disallowed
    /// format, has no audio or video, or could not be read within <see cref="MediaOptions.ProbeTimeout"/>.
    /// </exception>
    public async Task<ProbeResult> ProbeAsync(string localPath, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var input = "file:" + localPath;
        string[] args =
        [
            "-hide_banner", "-loglevel", "error",
            // Same rules as ffmpeg's inputs (DESIGN 5): only this local file, only an allowed demuxer.
            "-protocol_whitelist", "file", "-format_whitelist", ContainerPolicy.FormatWhitelist,
            "-print_format", "json", "-show_format", "-show_streams",
            "-i", input,
        ];

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.ProbeTimeout);
        var json = "";
        var exit = await ToolProcess.RunAsync(
            o.FfprobePath, args, async stdout => json = await stdout.ReadToEndAsync(), logger, timeout.Token);

        if (exit.Killed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seconds = o.ProbeTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
            throw new MediaException($"ffprobe could not read the source within {seconds} s; it may be damaged");
        }

        if (exit.ExitCode != 0)
        {
            throw Describe(exit.Stderr, input);
        }

        var result = ProbeParser.Parse(json);
        if (!ContainerPolicy.IsAllowed(result.Format.FormatName))
        {
            throw ContainerPolicy.NotAllowed(result.Format.FormatName);
        }

        if (result.Video is null && result.Audio is null)
        {
            throw new MediaException($"The source ('{result.Format.FormatName}') has no audio or video stream");
        }

        return result;
    }

    private static MediaException Describe(StderrTail stderr, string input)
    {
        foreach (var line in stderr.Lines)
        {
            // "[hls] Format not on whitelist '...'": the demuxer ffprobe detected is named in the context.
            if (NotOnWhitelist().Match(line) is { Success: true } m)
            {
                return ContainerPolicy.NotAllowed(m.Groups["format"].Value);
            }
        }

        // The file's path means nothing to the user (it is our download); what ffprobe said about it does.
        var first = (stderr.FirstLine ?? "no error output").Replace(input + ": ", "", StringComparison.Ordinal);
        return new MediaException(
            $"The source is not a media file ffprobe recognises (empty, corrupt, or not audio/video): {first}");
    }

    [GeneratedRegex(@"^\[(?<format>[^\]]+)\] Format not on whitelist")]
    private static partial Regex NotOnWhitelist();
}
