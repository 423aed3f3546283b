using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudSlicer.Storage.Blobs.S3;

/// <summary>
/// Blobs as objects in an S3 bucket under a key prefix (the scaled-out shape), with the local disk store's
/// semantics: the same keys are valid, a missing key reads as null, a range reads exactly its bytes with one ranged
/// GET, a copy is server side, a prefix delete takes the key and the folder beneath it. An object appears whole or
/// not at all (S3 has no half-written objects), so no temporary names are needed; what makes an asset visible is its
/// record in the database, written after every object. Calls outlast short outages (<see cref="S3Retry"/>).
/// </summary>
public sealed class S3BlobStore : IBlobStore
{
    // S3's own bounds: keys of at most 1024 UTF-8 bytes; at most 1000 keys per DeleteObjects.
    private const int MaxKeyBytes = 1024;
    private const int DeleteBatch = 1000;

    private readonly IAmazonS3 _client;
    private readonly S3Location _location;
    private readonly S3BlobStoreOptions _options;
    private readonly S3Retry _retry;

    /// <param name="client">Not disposed by the store (the container or the caller owns it).</param>
    public S3BlobStore(IAmazonS3 client, S3Location location, TimeProvider clock, S3BlobStoreOptions? options = null, ILogger<S3BlobStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(clock);
        _client = client;
        _location = location;
        _options = options ?? new S3BlobStoreOptions();
        _retry = new S3Retry(clock, _options.RetryBudget, location.Bucket, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>
    /// One PUT below <see cref="S3BlobStoreOptions.MultipartThreshold"/>, a multipart upload at or above it; each
    /// attempt reads the file from its start. The file is deleted once stored, as the disk store moves it away.
    /// </summary>
    public async Task PutFileAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        var objectKey = WritableKey(key);
        await _retry.RunAsync("upload", async ct =>
        {
            using var transfer = new TransferUtility(_client, new TransferUtilityConfig { MinSizeBeforePartUpload = _options.MultipartThreshold });
            await transfer.UploadAsync(
                new TransferUtilityUploadRequest { BucketName = _location.Bucket, Key = objectKey, FilePath = localPath, PartSize = _options.PartSize },
                ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        File.Delete(localPath);
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var objectKey = WritableKey(key);
        var bytes = MemoryMarshal.TryGetArray(content, out var segment) ? segment : new ArraySegment<byte>(content.ToArray());
        return _retry.RunAsync("put", ct => _client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = _location.Bucket,
                Key = objectKey,
                // A fresh, seekable stream per attempt: the SDK rewinds it for its own retries.
                InputStream = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false),
            },
            ct), cancellationToken);
    }

    public async Task<BlobRead?> OpenReadAsync(string key, BlobRange? range, CancellationToken cancellationToken)
    {
        if (ReadableKey(key) is not { } objectKey)
        {
            return null;
        }

        if (range is { First: null, Last: 0 })
        {
            // "The last 0 bytes" selects nothing in any blob; S3 has no form for it.
            return await EmptyReadAsync(key, cancellationToken).ConfigureAwait(false);
        }

        GetObjectResponse response;
        try
        {
            response = await _retry.RunAsync("read", ct => _client.GetObjectAsync(
                new GetObjectRequest { BucketName = _location.Bucket, Key = objectKey, ByteRange = range is null ? null : new ByteRange(range.ToString()) },
                ct), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // A range starting at or past the end (every range of an empty blob): an empty read that carries the length.
            return await EmptyReadAsync(key, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var count = response.ContentLength;
            var (offset, length) = ParseContentRange(response.ContentRange) ?? (0, count);
            var info = new BlobInfo(length, response.ETag, Utc(response.LastModified));
            // The response stream is the open HTTP body: disposing the read releases the connection.
            return new BlobRead(response.ResponseStream, info, offset, count);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        if (ReadableKey(key) is not { } objectKey)
        {
            return null;
        }

        try
        {
            var head = await _retry.RunAsync("head", ct => _client.GetObjectMetadataAsync(
                new GetObjectMetadataRequest { BucketName = _location.Bucket, Key = objectKey }, ct), cancellationToken).ConfigureAwait(false);
            return new BlobInfo(head.ContentLength, head.ETag, Utc(head.LastModified));
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) =>
        await GetInfoAsync(key, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// A server-side CopyObject: the bytes never leave the store. S3 copies at most 5 GiB in one call; CloudSlicer
    /// copies slices and small files, so a larger source is refused by S3 rather than copied in parts.
    /// </summary>
    public async Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        var source = WritableKey(sourceKey);
        var destination = WritableKey(destinationKey);
        try
        {
            await _retry.RunAsync("copy", ct => _client.CopyObjectAsync(
                new CopyObjectRequest { SourceBucket = _location.Bucket, SourceKey = source, DestinationBucket = _location.Bucket, DestinationKey = destination },
                ct), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"blob '{sourceKey}' does not exist", ex);
        }
    }

    /// <summary>
    /// As on disk, the prefix names a folder or a blob: the key itself and every key beneath "key/" go, never a
    /// sibling that merely starts the same ("assets/x" does not take "assets/xy"). Listed a page (1000 keys) at a
    /// time and deleted a page per DeleteObjects call.
    /// </summary>
    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var folder = WritableKey(prefix.TrimEnd('/'));
        await DeleteAsync([folder], cancellationToken).ConfigureAwait(false);
        await foreach (var page in PagesAsync(folder + "/", cancellationToken).ConfigureAwait(false))
        {
            await DeleteAsync(page, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!prefix.EndsWith('/'))
        {
            return await ExistsAsync(prefix, cancellationToken).ConfigureAwait(false) ? [prefix] : [];
        }

        var folder = WritableKey(prefix.TrimEnd('/'));
        var keys = new List<string>();
        await foreach (var page in PagesAsync(folder + "/", cancellationToken).ConfigureAwait(false))
        {
            keys.AddRange(page.Select(objectKey => objectKey[_location.Prefix.Length..]));
        }

        return keys;
    }

    /// <summary>A presigned GET of the object, answered with <paramref name="contentType"/> (S3 stores no type of ours).</summary>
    public Uri? TryGetDirectUrl(string key, string contentType, TimeSpan lifetime)
    {
        if (ReadableKey(key) is not { } objectKey)
        {
            return null;
        }

        var request = new GetPreSignedUrlRequest
        {
            BucketName = _location.Bucket,
            Key = objectKey,
            Verb = HttpVerb.GET,
            // The SDK counts the lifetime from its own clock, the real one.
            Expires = TimeProvider.System.GetUtcNow().UtcDateTime + lifetime,
            Protocol = _location.Endpoint?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
        };
        request.ResponseHeaderOverrides.ContentType = contentType;
        return new Uri(_client.GetPreSignedURL(request));
    }

    private async IAsyncEnumerable<List<string>> PagesAsync(string objectPrefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var page = await _retry.RunAsync("list", ct => _client.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = objectPrefix, ContinuationToken = continuation, MaxKeys = DeleteBatch },
                ct), cancellationToken).ConfigureAwait(false);
            var keys = (page.S3Objects ?? []).Select(o => o.Key).ToList();
            if (keys.Count > 0)
            {
                yield return keys;
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    private async Task DeleteAsync(List<string> objectKeys, CancellationToken cancellationToken)
    {
        var response = await _retry.RunAsync("delete", ct => _client.DeleteObjectsAsync(
            new DeleteObjectsRequest { BucketName = _location.Bucket, Quiet = true, Objects = objectKeys.ConvertAll(k => new KeyVersion { Key = k }) },
            ct), cancellationToken).ConfigureAwait(false);
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            throw new IOException($"S3 refused to delete {errors.Count} object(s) in bucket '{_location.Bucket}' ({errors[0].Code}); the delete will be retried");
        }
    }

    private async Task<BlobRead?> EmptyReadAsync(string key, CancellationToken cancellationToken) =>
        await GetInfoAsync(key, cancellationToken).ConfigureAwait(false) is { } info ? new BlobRead(Stream.Null, info, 0, 0) : null;

    /// <summary>The object key of a blob key, or null for one no blob can have (too long for S3: simply absent, as on disk).</summary>
    private string? ReadableKey(string key)
    {
        var objectKey = _location.ObjectKey(ValidKey(key));
        return Encoding.UTF8.GetByteCount(objectKey) <= MaxKeyBytes ? objectKey : null;
    }

    private string WritableKey(string key) =>
        ReadableKey(key) ?? throw new ArgumentException($"blob key is longer than S3's {MaxKeyBytes} bytes", nameof(key));

    /// <summary>The disk store's rule, so a key valid on one store is valid on the other.</summary>
    private static string ValidKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.Contains('\\', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal)
            || key.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"'{key}' is not a valid blob key", nameof(key));
        }

        return key;
    }

    /// <summary>"bytes 3-5/10" → (3, 10); null when the answer is the whole object.</summary>
    private static (long Offset, long Length)? ParseContentRange(string? contentRange)
    {
        if (string.IsNullOrEmpty(contentRange))
        {
            return null;
        }

        var space = contentRange.IndexOf(' ', StringComparison.Ordinal);
        var dash = contentRange.IndexOf('-', StringComparison.Ordinal);
        var slash = contentRange.IndexOf('/', StringComparison.Ordinal);
        return (long.Parse(contentRange.AsSpan(space + 1, dash - space - 1), CultureInfo.InvariantCulture),
            long.Parse(contentRange.AsSpan(slash + 1), CultureInfo.InvariantCulture));
    }

    private static DateTimeOffset Utc(DateTime? time) => time switch
    {
        null => DateTimeOffset.UnixEpoch,
        { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero),
        { } utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeSpan.Zero),
    };
}
