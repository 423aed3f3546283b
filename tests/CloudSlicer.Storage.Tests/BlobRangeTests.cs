using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Storage.Tests;

public sealed class BlobRangeTests
{
    [Fact]
    public void A_range_writes_itself_as_the_Range_header_an_object_store_takes()
    {
        Assert.Equal("bytes=3-5", BlobRange.Between(3, 5).ToString());
        Assert.Equal("bytes=7-", BlobRange.StartingAt(7).ToString());
        Assert.Equal("bytes=-4", BlobRange.LastBytes(4).ToString());
    }

    [Fact]
    public void A_range_with_its_last_before_its_first_or_a_negative_bound_cannot_be_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BlobRange.Between(5, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlobRange.StartingAt(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlobRange.LastBytes(-1));
    }
}
