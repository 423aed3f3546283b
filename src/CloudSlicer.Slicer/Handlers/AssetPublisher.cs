using System.Text.Json;
using CloudSlicer.Core;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Libraries;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Slicer.Handlers;

/// <summary>
/// Publishes a version of an asset: every file of the work directory goes under the version's own prefix,
/// then the master playlist and <c>asset.json</c>, and last the asset record, whose switch is the single step
/// that makes the version visible (the previous version is served until then). A failure or cancel before
/// the switch removes only this version's files: an existing asset is never touched. Assets that held the
/// external id under <c>auto_replace</c> are deleted once the new one is published.
/// </summary>
public sealed partial class AssetPublisher(
    IBlobStore blobs, IAssetStore assets, AssetRemover remover, PublishedAssets published, ILibraryStore libraries, ILogger<AssetPublisher> logger)
{
    private const int ParallelUploads = 8;

    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <param name="manifest">The version to publish (Version 1 for a new asset).</param>
    /// <param name="directory">The encoded files, laid out as they are served.</param>
    /// <param name="lastFiles">Text files stored after the media, in order (the master playlist among them).</param>
    /// <param name="replaceExternalId">auto_replace: take the external id from the owner's older assets and delete them.</param>
    /// <param name="beforeSwitch">Runs just before the record switch (a heartbeat), so a cancel that arrived meanwhile stops it.</param>
    /// <returns>The record as stored (with its created and expiry times).</returns>
    public async Task<AssetManifest> PublishAsync(
        AssetManifest manifest,
        string directory,
        IReadOnlyList<(string RelativePath, string Text)> lastFiles,
        bool replaceExternalId,
        Func<CancellationToken, Task>? beforeSwitch,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(lastFiles);
        PublishOutcome outcome;
        try
        {
            await StoreFilesAsync(manifest, directory, lastFiles, cancellationToken).ConfigureAwait(false);
            if (beforeSwitch is not null)
            {
                await beforeSwitch(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();

            // Past this point the switch must not be torn by a cancel: a job cancelled afterwards is undone by
            // DiscardAsync, called when its completion is refused.
            outcome = await assets.PublishAsync(manifest, replaceExternalId, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await DiscardVersionAsync(manifest, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        switch (outcome)
        {
            case PublishOutcome.Published(var record, var replaced):
                published.Forget(record.Id);
                await remover.RemoveAsync(replaced, CancellationToken.None).ConfigureAwait(false);
                return record;
            case PublishOutcome.ExternalIdTaken(var other):
                await DiscardVersionAsync(manifest, CancellationToken.None).ConfigureAwait(false);
                throw new JobFailedException(
                    $"external_id '{manifest.ExternalId}' already names asset {other}; send auto_replace=1 (or prefix the id with '{AssetSettings.ReplacePrefix}') to replace that asset, or choose another external_id")
                { Permanent = true };
            default:
                await DiscardVersionAsync(manifest, CancellationToken.None).ConfigureAwait(false);
                throw new JobFailedException($"Asset {manifest.Id} changed or was deleted while this job worked on it; nothing was published");
        }
    }

    /// <summary>
    /// Publishes the version after <paramref name="previous"/>: <paramref name="next"/> is the previous record
    /// changed by the job, and <paramref name="directory"/> holds only what the job made (a new track's directory,
    /// an export). Every other file stays where an earlier version stored it (<see cref="AssetManifest.Locations"/>);
    /// files of the previous version that the new one no longer uses are removed when the version after it is
    /// published, and what the previous version had left behind goes now, since no player reads two versions back.
    /// </summary>
    /// <returns>The record as stored.</returns>
    public async Task<AssetManifest> PublishNextAsync(
        AssetManifest previous,
        AssetManifest next,
        string directory,
        IReadOnlyList<(string RelativePath, string Text)> lastFiles,
        Func<CancellationToken, Task>? beforeSwitch,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        var made = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var kept = next.StoredNames().Where(name => !made.Contains(name.Name)).ToList();
        var version = previous.Version + 1;
        var versioned = next with
        {
            Version = version,
            // This attempt's own folder: a racing job publishing the same version writes elsewhere, and whichever
            // loses the switch removes only its own files.
            Folder = $"{AssetManifest.FolderName(version)}-{Ids.New()[..8]}",
            Locations = kept.ToDictionary(n => n.Name, n => previous.FolderOf(n.Name), StringComparer.Ordinal),
            Superseded = [.. previous.StoredNames()
                .Where(n => made.Contains(n.Name) || kept.All(k => k.Name != n.Name))
                .Select(n => FolderRelative(previous.FolderOf(n.Name), n)),
                FolderRelative(previous.OwnFolder, (AssetLayout.MasterName, false)),
                FolderRelative(previous.OwnFolder, (AssetLayout.ManifestName, false))],
        };

        var record = await PublishAsync(versioned, directory, lastFiles, replaceExternalId: false, beforeSwitch, cancellationToken).ConfigureAwait(false);
        foreach (var relative in previous.Superseded)
        {
            await blobs.DeletePrefixAsync(AssetLayout.Prefix(record.Id) + relative, CancellationToken.None).ConfigureAwait(false);
        }

        return record;
    }

    private static string FolderRelative(string folder, (string Name, bool IsDirectory) name) =>
        $"{folder}/{name.Name}{(name.IsDirectory ? "/" : "")}";

    /// <summary>
    /// The Slicebot <c>libraries</c> setting, after the asset is published: the asset joins the owner's libraries
    /// named by id or desc (a new desc creates the library; an id of no library of the owner is skipped and
    /// logged). If the store cannot be reached the new asset is withdrawn and the attempt fails, to be retried,
    /// so a job that is done always has its asset in its libraries.
    /// </summary>
    public async Task JoinLibrariesAsync(AssetManifest record, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            return;
        }

        LibraryJoin join;
        try
        {
            join = await libraries.JoinAsync(record.Owner, record.Id, names, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await DiscardAsync(record.Id, CancellationToken.None).ConfigureAwait(false);
            throw new JobFailedException("The asset could not be added to the libraries its 'libraries' setting names (the job store did not answer); it was withdrawn and will be made again", ex);
        }

        // No cancel check past this point: the asset is published, and a cancelled job's asset is undone by
        // DiscardAsync when its completion is refused, which needs the output returned.
        if (join.Unmatched.Count > 0)
        {
            LibrariesUnmatched(logger, record.Id, string.Join(", ", join.Unmatched));
        }
    }

    /// <summary>
    /// Undoes a published new asset whose job could not be recorded as done (cancelled or taken over meanwhile).
    /// Only a first version is removed: a later version of an existing asset is never a reason to delete it.
    /// </summary>
    public async Task DiscardAsync(string asset, CancellationToken cancellationToken)
    {
        var record = await assets.FindPublishedAsync(asset, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            await blobs.DeletePrefixAsync(AssetLayout.Prefix(asset), cancellationToken).ConfigureAwait(false);
        }
        else if (record.Version == 1)
        {
            await remover.DeleteAsync(record.Owner, asset, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StoreFilesAsync(AssetManifest manifest, string directory, IReadOnlyList<(string RelativePath, string Text)> lastFiles, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Key: AssetLayout.OwnFile(manifest, Path.GetRelativePath(directory, path).Replace('\\', '/'))))
            .ToList();
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelUploads, CancellationToken = cancellationToken },
            async (file, ct) => await blobs.PutFileAsync(file.Key, file.Path, ct).ConfigureAwait(false)).ConfigureAwait(false);

        // The manifest beside the media lets a lost database be rebuilt from the blobs; it is never served.
        var text = lastFiles.Append((AssetLayout.ManifestName, JsonSerializer.Serialize(manifest, ManifestJson)));
        foreach (var (relativePath, content) in text)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await blobs.PutAsync(AssetLayout.OwnFile(manifest, relativePath), System.Text.Encoding.UTF8.GetBytes(content), cancellationToken).ConfigureAwait(false);
        }
    }

    private Task DiscardVersionAsync(AssetManifest manifest, CancellationToken cancellationToken) =>
        blobs.DeletePrefixAsync(manifest.Version == 1 ? AssetLayout.Prefix(manifest.Id) : AssetLayout.FolderPrefix(manifest.Id, manifest.OwnFolder), cancellationToken);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Asset {Asset}: the libraries setting names no library of its owner for {Unmatched}; skipped")]
    private static partial void LibrariesUnmatched(ILogger logger, string asset, string unmatched);
}
