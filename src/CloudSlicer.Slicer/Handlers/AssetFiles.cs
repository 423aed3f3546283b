using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// Reads a published version's files from the blob store, wherever an earlier version stored them: a rendition's
/// playlist, a file's bytes, and init segments and slices joined into one local file. The jobs that work from an
/// existing asset (exports, quick clips) read it only through this; a file the record lists but the store lacks
/// fails the job for good.
/// </summary>
internal sealed class AssetFiles(IBlobStore blobs, AssetManifest asset)
{
    /// <summary>The slicer's own names only ("init.mp4", "seg_00042.m4s"), so a playlist can point nowhere else.</summary>
    private static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 128 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>The playlist at <paramref name="playlistPath"/> (e.g. <c>c/index.m3u8</c>): its init segment (if any) and slices, as paths inside the asset.</summary>
    public async Task<IReadOnlyList<string>> SegmentsAsync(string playlistPath, CancellationToken cancellationToken)
    {
        var directory = playlistPath.Contains('/', StringComparison.Ordinal) ? playlistPath[..(playlistPath.LastIndexOf('/') + 1)] : "";
        var names = new List<string>();
        foreach (var raw in (await ReadTextAsync(playlistPath, cancellationToken).ConfigureAwait(false)).Split('\n'))
        {
            var line = raw.Trim();
            string? name = null;
            if (line.StartsWith("#EXT-X-MAP:", StringComparison.Ordinal) && line.IndexOf("URI=\"", StringComparison.Ordinal) is var at and >= 0)
            {
                var start = at + 5;
                var end = line.IndexOf('"', start);
                name = end > start ? line[start..end] : null;
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                name = line;
            }

            if (name is null)
            {
                continue;
            }

            if (!IsPlainName(name))
            {
                throw new JobFailedException($"Asset {asset.Id} has a playlist entry this server did not write; slice the asset again") { Permanent = true };
            }

            names.Add(directory + name);
        }

        return names;
    }

    public async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        using var blob = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(blob.Content);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        using var blob = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        using var bytes = new MemoryStream((int)blob.Count);
        await blob.Content.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes.ToArray();
    }

    /// <summary>The playlist's init segment and slices, byte for byte one after another: a CMAF track is one fragmented MP4.</summary>
    public async Task JoinAsync(string playlistPath, string output, IProgress<double>? progress, CancellationToken cancellationToken) =>
        await JoinAsync(await SegmentsAsync(playlistPath, cancellationToken).ConfigureAwait(false), output, progress, cancellationToken).ConfigureAwait(false);

    /// <summary>The files at <paramref name="parts"/> (paths inside the asset), byte for byte one after another into <paramref name="output"/>.</summary>
    public async Task JoinAsync(IReadOnlyList<string> parts, string output, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            for (var i = 0; i < parts.Count; i++)
            {
                using var blob = await OpenAsync(parts[i], cancellationToken).ConfigureAwait(false);
                await blob.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                progress?.Report((i + 1) / (double)parts.Count);
            }
        }
    }

    /// <summary>The one call into the blob store's reader, so a change of its signature is a change here only.</summary>
    private async Task<BlobRead> OpenAsync(string path, CancellationToken cancellationToken) =>
        await blobs.OpenReadAsync(AssetLayout.File(asset, path), null, cancellationToken).ConfigureAwait(false)
        ?? throw new JobFailedException($"Asset {asset.Id} is missing a file ({path}); it may have been deleted meanwhile. Slice the asset again") { Permanent = true };
}
