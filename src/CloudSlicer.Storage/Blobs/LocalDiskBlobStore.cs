using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace CloudSlicer.Storage.Blobs;

/// <summary>
/// Blobs as files under one root directory (the one-box shape). Writes land in a temporary name and are
/// renamed into place, so a reader never sees half a file; <see cref="PutFileAsync"/> moves rather than
/// copies when the file is on the same file system, which keeps publishing an asset almost free.
/// </summary>
public sealed class LocalDiskBlobStore(string root) : IBlobStore
{
    private readonly string _root = Path.GetFullPath(root);

    public Task PutFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            KeepNewerThanExisting(localPath, target);
            File.Move(localPath, target, overwrite: true);
            return Task.CompletedTask;
        }
        catch (IOException) when (File.Exists(localPath))
        {
            return CopyThenMoveAsync(localPath, target, cancellationToken);  // another file system
        }
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = TempNameFor(target);
        await File.WriteAllBytesAsync(temp, content.ToArray(), cancellationToken).ConfigureAwait(false);
        KeepNewerThanExisting(temp, target);
        File.Move(temp, target, overwrite: true);
    }

    public Task<BlobRead?> OpenReadAsync(string key, BlobRange? range, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or PathTooLongException
            || (ex is UnauthorizedAccessException && Directory.Exists(path)))
        {
            // A directory, or a name the file system cannot hold, is simply not a blob.
            return Task.FromResult<BlobRead?>(null);
        }

        try
        {
            // Length and time from the handle, not the path: they describe the very file being read even if the key
            // is overwritten meanwhile.
            var info = InfoOf(RandomAccess.GetLength(file), File.GetLastWriteTimeUtc(file));
            var (offset, count) = range?.Resolve(info.Length) ?? (0, info.Length);
            return Task.FromResult<BlobRead?>(new BlobRead(new FileSliceStream(file, offset, count), info, offset, count));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? InfoOf(file.Length, file.LastWriteTimeUtc) : null);
    }

    /// <summary>
    /// A full copy into a temporary name, renamed into place like every write. (A hard link would cost nothing, but
    /// .NET has no managed call for one; blobs are never changed in place, so a link would be safe when it comes.)
    /// </summary>
    public Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        var source = PathOf(sourceKey);
        var target = PathOf(destinationKey);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = TempNameFor(target);
        try
        {
            File.Copy(source, temp);
        }
        catch (DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"blob '{sourceKey}' does not exist");
        }

        File.Move(temp, target, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(key)));

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        // Prefixes used by CloudSlicer end in '/', i.e. name a directory.
        var path = PathOf(prefix.TrimEnd('/'));
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var path = PathOf(prefix.TrimEnd('/'));
        IReadOnlyList<string> keys = Directory.Exists(path) && prefix.EndsWith('/')
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(file => !IsTemporary(file))
                .Select(file => Path.GetRelativePath(_root, file).Replace('\\', '/'))
                .ToList()
            : File.Exists(path) ? [prefix] : [];
        return Task.FromResult(keys);
    }

    /// <summary>Files on this machine have no URL of their own: content serving reads them.</summary>
    public Uri? TryGetDirectUrl(string key, string contentType, TimeSpan lifetime) => null;

    /// <summary>Maps a key to a path under the root; keys that climb out of it are refused.</summary>
    private string PathOf(string key)
    {
        if (key.Length == 0 || key.Contains('\\', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal)
            || key.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"'{key}' is not a valid blob key", nameof(key));
        }

        return Path.Combine(_root, key);
    }

    /// <summary>
    /// The ETag is the length and write time, as ASP.NET's static files make theirs: cheap, and it changes on every
    /// overwrite because <see cref="KeepNewerThanExisting"/> moves the time forward.
    /// </summary>
    private static BlobInfo InfoOf(long length, DateTime lastWriteUtc) =>
        new(length, string.Create(CultureInfo.InvariantCulture, $"\"{length:x}-{lastWriteUtc.Ticks:x}\""), new DateTimeOffset(lastWriteUtc, TimeSpan.Zero));

    /// <summary>
    /// An overwrite must move the write time forward, or a cache holding the old content would be told it is
    /// current: file times tick at the kernel's coarse clock (milliseconds), and a moved file may be older still.
    /// </summary>
    private static void KeepNewerThanExisting(string replacement, string target)
    {
        var existing = File.GetLastWriteTimeUtc(target);   // 1601 when there is no target
        if (File.GetLastWriteTimeUtc(replacement) <= existing)
        {
            File.SetLastWriteTimeUtc(replacement, existing.AddTicks(1));
        }
    }

    private static string TempNameFor(string target) => $"{target}.{Guid.NewGuid():N}.tmp";

    // A write in progress (TempNameFor) is not a blob yet.
    private static bool IsTemporary(string file) =>
        file.EndsWith(".tmp", StringComparison.Ordinal) && Path.GetFileName(file).Split('.') is [.., { Length: 32 }, "tmp"];

    private static async Task CopyThenMoveAsync(string source, string target, CancellationToken cancellationToken)
    {
        var temp = TempNameFor(target);
        await using (var from = File.OpenRead(source))
        await using (var to = File.Create(temp))
        {
            await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
        }

        KeepNewerThanExisting(temp, target);
        File.Move(temp, target, overwrite: true);
        File.Delete(source);
    }
}
