using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// Moves a finished asset from a work directory into the blob store. The master playlist goes last: until
/// it is stored the asset does not exist for players, so a crash or cancel never exposes half an asset,
/// and a failure part-way removes what was stored.
/// </summary>
public sealed class AssetPublisher(IBlobStore blobs)
{
    private const int ParallelUploads = 8;

    public async Task PublishAsync(string asset, string directory, IReadOnlyList<(string RelativePath, string Text)> lastFiles, CancellationToken cancellationToken)
    {
        try
        {
            var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Select(path => (Path: path, Key: AssetLayout.File(asset, Path.GetRelativePath(directory, path).Replace('\\', '/'))))
                .ToList();
            await Parallel.ForEachAsync(
                files,
                new ParallelOptions { MaxDegreeOfParallelism = ParallelUploads, CancellationToken = cancellationToken },
                async (file, ct) => await blobs.PutFileAsync(file.Key, file.Path, ct).ConfigureAwait(false)).ConfigureAwait(false);

            // In order: metadata first, the master (which publishes the asset) at the very end.
            foreach (var (relativePath, text) in lastFiles)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await blobs.PutAsync(AssetLayout.File(asset, relativePath), System.Text.Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await DiscardAsync(asset, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public Task DiscardAsync(string asset, CancellationToken cancellationToken) =>
        blobs.DeletePrefixAsync(AssetLayout.Prefix(asset), cancellationToken);
}
