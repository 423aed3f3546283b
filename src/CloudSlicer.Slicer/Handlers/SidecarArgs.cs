using System.Text.Json.Nodes;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Slicer.Sources;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// A Slicebot <c>&lt;url&gt;.cfg</c> sidecar next to an HTTP source supplies settings the job's own args
/// did not set (the job's args win). Unknown names in the sidecar are ignored, as the slicer would.
/// </summary>
public static class SidecarArgs
{
    private const int MaxSidecarBytes = 64 * 1024;

    public static async Task<SlicerArgs> MergeAsync(SourceFetcher fetcher, Uri source, string argsJson, CancellationToken cancellationToken)
    {
        var args = JsonNode.Parse(argsJson) as JsonObject ?? [];
        var text = await fetcher.TryFetchTextAsync(SidecarUrl(source, ".cfg"), MaxSidecarBytes, cancellationToken).ConfigureAwait(false);
        if (text is not null)
        {
            foreach (var (name, value) in SidecarConfig.Parse(text))
            {
                var key = name == "description" ? "desc" : name;
                if (SlicerArgs.AcceptedKeys.Contains(key) && !args.ContainsKey(key))
                {
                    args[key] = value;
                }
            }
        }

        return SlicerArgs.TryParse(args, out var merged, out _, out var error)
            ? merged
            : throw new JobFailedException($"The .cfg sidecar next to the source has a setting that cannot be used: {error}") { Permanent = true };
    }

    /// <summary><c>https://host/a/b.mp4?x=1</c> → <c>https://host/a/b.mp4.cfg?x=1</c>: the suffix goes on the path.</summary>
    public static Uri SidecarUrl(Uri source, string suffix) =>
        new UriBuilder(source) { Path = source.AbsolutePath + suffix }.Uri;
}
