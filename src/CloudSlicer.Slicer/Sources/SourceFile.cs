namespace CloudSlicer.Slicer.Sources;

/// <summary>
/// Writes a source's body to its file under the watch's limits (idle, rate floor, deadline) and the size cap; shared
/// by http(s) and S3 sources so both keep the same rules. The file is removed again when the copy fails.
/// </summary>
internal static class SourceFile
{
    // Under the 85 kB large-object threshold, and large enough that a fast link needs few reads.
    private const int BufferSize = 64 * 1024;

    /// <param name="translate">Turns what reading the body threw into the job's words; null lets it propagate.</param>
    public static async Task<long> CopyAsync(
        Stream body, long? length, string path, IProgress<double>? progress, TransferWatch watch, SourceOptions options,
        Func<Exception, Exception?> translate, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        long total = 0;
        var reported = -1.0;
        try
        {
            var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[BufferSize];
                while (true)
                {
                    watch.AwaitData();
                    var read = await body.ReadAsync(buffer, watch.Token).ConfigureAwait(false);
                    watch.Received(read);   // a slow disk is not an idle server
                    if (read == 0)
                    {
                        break;
                    }

                    if (total + read > options.MaxBytes)
                    {
                        throw SourceErrors.TooLarge(options.MaxBytes, $"more than {options.MaxBytes} bytes arrived");
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    total += read;

                    // A report per read would flood the job's progress; every 0.1 % is plenty.
                    if (progress is not null && length > 0 && (double)total / length.Value - reported >= 0.001)
                    {
                        reported = Math.Min(1.0, (double)total / length.Value);
                        progress.Report(reported);
                    }
                }
            }
        }
        catch (Exception ex)
        {
            TryDelete(path);
            if (translate(ex) is { } translated)
            {
                throw translated;
            }

            throw;
        }

        if (progress is not null && length is not null && reported < 1.0)
        {
            progress.Report(1.0);
        }

        return total;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The job's work directory is removed as a whole afterwards; this only spares the disk sooner.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
