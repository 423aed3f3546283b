using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Media.Probe;

/// <summary>Describes a downloaded source with ffprobe, refusing anything that is not an allowed media container.</summary>
public sealed partial class FfprobeRunner(IOptions<MediaOptions> options, ILogger<FfprobeRunner> logger)
{
    /// <summary>
    /// The most of ffprobe's output read, in characters. With only <see cref="ProbeParser.ShowEntries"/> asked
    /// for, a stream takes a few hundred and ffprobe opens at most 1000 streams; more means a tag stuffed
    /// with data (a language can be megabytes long), and reading on would only grow memory.
    /// </summary>
    public const int MaxOutputChars = 1024 * 1024;

    /// <exception cref="MediaException">
    /// The file is not media ffprobe recognises, is a playlist/list/manifest or another disallowed
    /// format, has no audio or video, describes itself at more than <see cref="MaxOutputChars"/>, or could
    /// not be read within <see cref="MediaOptions.ProbeTimeout"/>.
    /// </exception>
    public async Task<ProbeResult> ProbeAsync(string localPath, CancellationToken cancellationToken)
    {
        var result = await RunAsync(localPath, ContainerPolicy.FormatWhitelist, cancellationToken).ConfigureAwait(false);
        if (!ContainerPolicy.IsAllowed(result.Format.FormatName))
        {
            throw ContainerPolicy.NotAllowed(result.Format.FormatName);
        }

        if (result.Video is null && result.Audio is null)
        {
            throw new MediaException($"The source ('{result.Format.FormatName}') has no audio or video stream") { Permanent = true };
        }

        return result;
    }

    /// <summary>
    /// Describes a downloaded still image (<c>poster_file</c>, a <c>bug</c>): opened only by an image demuxer
    /// (<see cref="ContainerPolicy.AllowedImageFormats"/>), and it must hold a picture.
    /// </summary>
    /// <exception cref="MediaException">The file is not an allowed image (permanent).</exception>
    public async Task<ProbeStream> ProbeImageAsync(string localPath, CancellationToken cancellationToken)
    {
        var result = await RunAsync(localPath, ContainerPolicy.ImageFormatWhitelist, cancellationToken).ConfigureAwait(false);
        return result.Video is { Width: > 0, Height: > 0 } picture
            ? picture
            : throw new MediaException($"The file ('{result.Format.FormatName}') holds no picture") { Permanent = true };
    }

    private async Task<ProbeResult> RunAsync(string localPath, string formatWhitelist, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var input = "file:" + localPath;
        string[] args =
        [
            "-hide_banner", "-loglevel", "error",
            // Same rules as ffmpeg's inputs (DESIGN 5): only this local file, only an allowed demuxer.
            "-protocol_whitelist", "file", "-format_whitelist", formatWhitelist,
            "-print_format", "json", "-show_entries", ProbeParser.ShowEntries,
            "-i", input,
        ];

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.ProbeTimeout);
        var json = "";
        var exit = await ToolProcess.RunAsync(
            o.FfprobePath, args, async stdout => json = await ReadBoundedAsync(stdout), logger, timeout.Token);

        if (exit.Killed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seconds = o.ProbeTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
            throw new MediaException($"ffprobe could not read the source within {seconds} s; it may be damaged");
        }

        if (exit.ExitCode != 0)
        {
            throw Describe(exit.Stderr, localPath);
        }

        return ProbeParser.Parse(json);
    }

    /// <summary>
    /// Reads ffprobe's JSON up to <see cref="MaxOutputChars"/>. Throwing here makes <see cref="ToolProcess"/>
    /// kill ffprobe, so a hostile source costs at most this much memory.
    /// </summary>
    private static async Task<string> ReadBoundedAsync(StreamReader stdout)
    {
        var text = new StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await stdout.ReadAsync(buffer)) > 0)
        {
            if (text.Length + read > MaxOutputChars)
            {
                // The same file describes itself the same way next time: no retry can mend it.
                throw new MediaException(
                    $"The source's metadata is too large: ffprobe's description of it passes {MaxOutputChars / 1024 / 1024} MiB (tags stuffed with data?); remove the oversized tags and try again")
                {
                    Permanent = true,
                };
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    private static MediaException Describe(StderrTail stderr, string localPath)
    {
        foreach (var line in stderr.Lines)
        {
            // "[hls] Format not on whitelist '...'": the demuxer ffprobe detected is named in the context.
            if (NotOnWhitelist().Match(line) is { Success: true } m)
            {
                return ContainerPolicy.NotAllowed(m.Groups["format"].Value);
            }
        }

        // The file's path means nothing to the user (it is our download) and tells outsiders where we keep
        // work; what ffprobe said about it does matter.
        var first = (stderr.FirstLine ?? "no error output")
            .Replace("file:" + localPath + ": ", "", StringComparison.Ordinal)
            .Replace("file:" + localPath, "the source", StringComparison.Ordinal)
            .Replace(localPath, "the source", StringComparison.Ordinal);
        return new MediaException(
            $"The source is not a media file ffprobe recognises (empty, corrupt, or not audio/video): {first}");
    }

    [GeneratedRegex(@"^\[(?<format>[^\]]+)\] Format not on whitelist")]
    private static partial Regex NotOnWhitelist();
}
