using System.Text.RegularExpressions;

namespace CloudSlicer.Slicer;

/// <summary>
/// Takes this server's file paths out of a message meant for a job's owner (its <c>last_error</c>). ffmpeg,
/// ffprobe and .NET name the files they fail on, and a path tells an outsider where the data and work
/// directories are. The job's download becomes "the source"; any other path "a file on the slicer".
/// </summary>
public static partial class ServerPaths
{
    public const string Source = "the source";
    public const string OtherFile = "a file on the slicer";

    /// <summary>The name handlers download a job's source to, in its work directory.</summary>
    public const string SourceFileName = "source";

    /// <param name="message">The failure, as written for the owner.</param>
    /// <param name="workDirectories">
    /// The attempt's work directory first, then any directory above it: replaced literally, so a path with
    /// spaces in it goes whole. Other absolute paths are found by their shape.
    /// </param>
    public static string Redact(string message, params IReadOnlyList<string> workDirectories)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(workDirectories);
        var text = message;
        if (workDirectories.Count > 0 && workDirectories[0].Length > 1)
        {
            var source = Path.Combine(workDirectories[0], SourceFileName);
            text = PathFrom(source).Replace(text, Source);
        }

        foreach (var directory in workDirectories.Where(d => d.Length > 1))
        {
            text = PathFrom(directory).Replace(text, OtherFile);
        }

        return AbsolutePath().Replace(text, m => IsServerPath(m.Groups["path"].Value) ? OtherFile : m.Value);
    }

    /// <summary>
    /// "/tmp/x" is a path on this machine and "/jobs/create" an API path because /tmp exists here and /jobs
    /// does not. A path behind "file:" is local by definition.
    /// </summary>
    private static bool IsServerPath(string path)
    {
        if (path.StartsWith("file:", StringComparison.Ordinal))
        {
            return true;
        }

        var firstSegment = path[1..].Split('/')[0];
        return firstSegment.Length > 0 && Directory.Exists("/" + firstSegment);
    }

    /// <summary><paramref name="root"/> itself or anything under it, with or without ffmpeg's "file:" in front.</summary>
    private static Regex PathFrom(string root) =>
        new($"(?:file:)?{Regex.Escape(root.TrimEnd('/'))}(?<rest>/{PathTail})?{PathEnd}", RegexOptions.CultureInvariant);

    // A path runs to the next space or quote; ":" "," "." ")" right before one are the sentence's, not the path's
    // ("file:/w/source: Invalid data", "'/w/out/a.m4s'."). Colons inside stay: ffmpeg accepts "/w/http:x.mp4".
    private const string PathTail = @"[^\s'""]*?";
    private const string PathEnd = @"(?=[:.,;)\]]*(?:[\s'""]|$))";

    // Starts a message or follows a space, quote, bracket or "=": "https://host/a/b" is a URL's path, not ours.
    [GeneratedRegex(@"(?<=^|[\s'""(\[=])(?<path>(?:file:)?/[^\s'""/][^\s'""]*?)(?=[:.,;)\]]*(?:[\s'""]|$))", RegexOptions.CultureInvariant)]
    private static partial Regex AbsolutePath();
}
