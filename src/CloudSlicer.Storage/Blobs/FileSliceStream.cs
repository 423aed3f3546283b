using Microsoft.Win32.SafeHandles;

namespace CloudSlicer.Storage.Blobs;

/// <summary>
/// Reads <c>count</c> bytes of an open file from <c>offset</c> with positional reads on the handle (no seek, no
/// second buffer), then ends. Forward-only: what the caller asked for is all there is to read.
/// </summary>
internal sealed class FileSliceStream(SafeFileHandle file, long offset, long count) : Stream
{
    private long _position = offset;
    private long _remaining = count;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = RandomAccess.Read(file, buffer[..Wanted(buffer.Length)], _position);
        return Advance(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await RandomAccess.ReadAsync(file, buffer[..Wanted(buffer.Length)], _position, cancellationToken).ConfigureAwait(false);
        return Advance(read);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Wanted(int room) => (int)Math.Min(room, _remaining);

    private int Advance(int read)
    {
        _position += read;
        _remaining -= read;
        return read;
    }
}
