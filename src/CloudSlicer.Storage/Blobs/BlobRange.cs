using System.Globalization;

namespace CloudSlicer.Storage.Blobs;

/// <summary>
/// The bytes a read asks for, in the three forms an HTTP (and S3) <c>Range</c> names them: first to last
/// inclusive (<c>bytes=a-b</c>), first to the end (<c>bytes=a-</c>), and the last n (<c>bytes=-n</c>). Only the
/// store knows the length, so it resolves the range (<see cref="Resolve"/>) against the blob it opened.
/// </summary>
public sealed record BlobRange
{
    private BlobRange(long? first, long? last)
    {
        First = first;
        Last = last;
    }

    /// <summary>The first byte, or null for a suffix range.</summary>
    public long? First { get; }

    /// <summary>The last byte (inclusive); for a suffix range, how many bytes at the end; null for "to the end".</summary>
    public long? Last { get; }

    public static BlobRange Between(long first, long last)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        return new BlobRange(first, last);
    }

    public static BlobRange StartingAt(long first)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        return new BlobRange(first, null);
    }

    public static BlobRange LastBytes(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new BlobRange(null, count);
    }

    /// <summary>
    /// The offset and count of the bytes this range selects in a blob of <paramref name="length"/> bytes, as RFC 9110
    /// §14.1.1 reads it: a last past the end is the end, a suffix longer than the blob is all of it, and a range
    /// selecting nothing (a first at or past the end, a suffix of 0) is count 0.
    /// </summary>
    public (long Offset, long Count) Resolve(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (First is not { } first)
        {
            var count = Math.Min(Last!.Value, length);
            return (length - count, count);
        }

        if (first >= length)
        {
            return (0, 0);
        }

        var last = Math.Min(Last ?? long.MaxValue, length - 1);
        return (first, last - first + 1);
    }

    /// <summary>The HTTP form, <c>bytes=…</c> (an object store's ranged GET takes it as it is).</summary>
    public override string ToString() => (First, Last) switch
    {
        (null, var count) => string.Create(CultureInfo.InvariantCulture, $"bytes=-{count}"),
        (var first, null) => string.Create(CultureInfo.InvariantCulture, $"bytes={first}-"),
        var (first, last) => string.Create(CultureInfo.InvariantCulture, $"bytes={first}-{last}"),
    };
}
