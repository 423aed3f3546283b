using System.Globalization;
using System.Net;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;

namespace CloudSlicer.Api.Tests.Http;

/// <summary>
/// Content serving speaks HTTP ranges and validators itself (the blob store reads the bytes asked for, no seeking):
/// one range is a 206 of exactly its bytes, a range past the end a 416 that gives the length, several ranges the
/// whole slice; HEAD is headers only; ETag and Last-Modified answer If-None-Match, If-Modified-Since, If-Match and
/// If-Range as RFC 9110 says. Against the real server over real HTTP.
/// </summary>
public sealed class ContentRangeTests : IAsyncLifetime
{
    private const string Asset = "fedcba9876543210fedcba9876543210";
    private const string Slice = $"/{Asset}/a/seg_00001.m4s";
    private static readonly byte[] SliceBytes = Enumerable.Range(0, 1000).Select(i => (byte)(i % 251)).ToArray();
    private ApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        var blobs = _server.Service<IBlobStore>();
        await blobs.PutAsync(AssetLayout.Master(Asset, 1), "#EXTM3U\n"u8.ToArray(), default);
        await blobs.PutAsync(AssetLayout.File(Asset, 1, "a/seg_00001.m4s"), SliceBytes, default);
        await _server.Service<IAssetStore>().PublishAsync(new AssetManifest { Id = Asset, Owner = new string('a', 32) }, replaceExternalId: false, default);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_whole_slice_is_200_with_its_length_validators_and_accept_ranges()
    {
        using var response = await SendAsync(HttpMethod.Get, Slice);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SliceBytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1000, response.Content.Headers.ContentLength);
        Assert.Equal("video/iso.segment", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["bytes"], response.Headers.AcceptRanges);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Null(response.Content.Headers.ContentRange);
    }

    [Theory]
    [InlineData("bytes=0-0", 0, 0)]
    [InlineData("bytes=10-19", 10, 19)]
    [InlineData("bytes=0-999", 0, 999)]
    [InlineData("bytes=990-", 990, 999)]
    [InlineData("bytes=-10", 990, 999)]
    [InlineData("bytes=995-5000", 995, 999)]   // a last past the end stops at the end
    [InlineData("bytes=-5000", 0, 999)]        // a suffix longer than the slice is all of it
    [InlineData("BYTES = 10-19", 10, 19)]
    public async Task A_single_range_is_206_with_exactly_its_bytes_and_their_content_range(string range, long first, long last)
    {
        using var response = await SendAsync(HttpMethod.Get, Slice, ("Range", range));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(SliceBytes[(int)first..((int)last + 1)], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(last - first + 1, response.Content.Headers.ContentLength);
        var contentRange = response.Content.Headers.ContentRange!;
        Assert.Equal(("bytes", first, last, 1000L), (contentRange.Unit, contentRange.From, contentRange.To, contentRange.Length));
        Assert.Equal("video/iso.segment", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=1000-1000")]
    [InlineData("bytes=5000-6000")]
    [InlineData("bytes=-0")]
    public async Task A_range_that_selects_nothing_is_416_naming_the_slice_length(string range)
    {
        using var response = await SendAsync(HttpMethod.Get, Slice, ("Range", range));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal(["bytes */1000"], response.Content.Headers.GetValues("Content-Range"));
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("bytes=0-1,5-6")]        // several ranges: the whole slice is a correct answer (RFC 9110 §14.2)
    [InlineData("bytes=0-1, -5")]
    [InlineData("bytes=5-3")]            // invalid: ignored
    [InlineData("bytes=x-y")]
    [InlineData("bytes=")]
    [InlineData("items=0-1")]            // a unit we do not know: ignored
    public async Task Several_ranges_or_an_invalid_range_get_the_whole_slice(string range)
    {
        using var response = await SendAsync(HttpMethod.Get, Slice, ("Range", range));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SliceBytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1000, response.Content.Headers.ContentLength);
        Assert.Null(response.Content.Headers.ContentRange);
    }

    [Theory]
    [InlineData(Slice, 1000, "video/iso.segment")]
    [InlineData($"/{Asset}.m3u8", 8, "application/vnd.apple.mpegurl")]
    public async Task Head_answers_the_headers_a_get_would_and_no_body(string path, long length, string type)
    {
        using var get = await SendAsync(HttpMethod.Get, path);
        foreach (var range in new[] { null, "bytes=0-9" })   // a range means nothing on a HEAD
        {
            using var head = range is null ? await SendAsync(HttpMethod.Head, path) : await SendAsync(HttpMethod.Head, path, ("Range", range));

            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(length, head.Content.Headers.ContentLength);
            Assert.Equal(type, head.Content.Headers.ContentType!.MediaType);
            Assert.Equal(get.Headers.ETag, head.Headers.ETag);
            Assert.Equal(get.Content.Headers.LastModified, head.Content.Headers.LastModified);
            Assert.Equal(["bytes"], head.Headers.AcceptRanges);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData("{etag}")]
    [InlineData("W/{etag}")]                 // If-None-Match compares weakly
    [InlineData("\"other\", {etag}")]
    [InlineData("*")]
    public async Task A_client_holding_the_current_slice_gets_304_for_If_None_Match(string ifNoneMatch)
    {
        var (etag, _) = await ValidatorsAsync();
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var response = await SendAsync(method, Slice, ("If-None-Match", ifNoneMatch.Replace("{etag}", etag, StringComparison.Ordinal)), ("Range", "bytes=0-9"));

            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Equal(etag, response.Headers.ETag!.ToString());
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task If_Modified_Since_is_304_unless_the_slice_is_newer_the_date_is_ahead_or_If_None_Match_disagrees()
    {
        var (etag, lastModified) = await ValidatorsAsync();

        using var same = await SendAsync(HttpMethod.Get, Slice, ("If-Modified-Since", Http(lastModified)));
        Assert.Equal(HttpStatusCode.NotModified, same.StatusCode);
        using var ahead = await SendAsync(HttpMethod.Get, Slice, ("If-Modified-Since", Http(lastModified.AddDays(1))));   // a future date is ignored
        Assert.Equal(HttpStatusCode.OK, ahead.StatusCode);

        using var older = await SendAsync(HttpMethod.Get, Slice, ("If-Modified-Since", Http(lastModified.AddSeconds(-1))));
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.Equal(SliceBytes, await older.Content.ReadAsByteArrayAsync());

        using var stale = await SendAsync(HttpMethod.Get, Slice, ("If-None-Match", "\"other\""), ("If-Modified-Since", Http(lastModified)));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(etag, stale.Headers.ETag!.ToString());
        Assert.Equal(SliceBytes, await stale.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task If_Range_keeps_the_range_only_for_the_current_slice()
    {
        var (etag, lastModified) = await ValidatorsAsync();

        foreach (var current in new[] { etag, Http(lastModified) })
        {
            using var ranged = await SendAsync(HttpMethod.Get, Slice, ("Range", "bytes=10-19"), ("If-Range", current));
            Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
            Assert.Equal(SliceBytes[10..20], await ranged.Content.ReadAsByteArrayAsync());
        }

        // Another version of the slice (or a weak tag, which If-Range never accepts): the whole of this one.
        foreach (var stale in new[] { "\"other\"", $"W/{etag}", Http(lastModified.AddHours(-1)) })
        {
            using var whole = await SendAsync(HttpMethod.Get, Slice, ("Range", "bytes=10-19"), ("If-Range", stale));
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(SliceBytes, await whole.Content.ReadAsByteArrayAsync());
            Assert.Equal(1000, whole.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task If_Match_on_another_version_is_412()
    {
        var (etag, lastModified) = await ValidatorsAsync();

        using var other = await SendAsync(HttpMethod.Get, Slice, ("If-Match", "\"other\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, other.StatusCode);
        using var unmodified = await SendAsync(HttpMethod.Get, Slice, ("If-Unmodified-Since", Http(lastModified.AddHours(-1))));
        Assert.Equal(HttpStatusCode.PreconditionFailed, unmodified.StatusCode);

        using var current = await SendAsync(HttpMethod.Get, Slice, ("If-Match", etag), ("Range", "bytes=0-9"));
        Assert.Equal(HttpStatusCode.PartialContent, current.StatusCode);
        Assert.Equal(SliceBytes[..10], await current.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_missing_slice_is_404_whatever_the_conditions_or_range()
    {
        foreach (var header in new[] { ("If-None-Match", "*"), ("Range", "bytes=0-9"), ("If-Modified-Since", Http(DateTimeOffset.UnixEpoch)) })
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
            {
                using var response = await SendAsync(method, $"/{Asset}/a/seg_00002.m4s", header);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        }
    }

    private static string Http(DateTimeOffset time) => time.ToString("R", CultureInfo.InvariantCulture);

    private async Task<(string ETag, DateTimeOffset LastModified)> ValidatorsAsync()
    {
        using var response = await SendAsync(HttpMethod.Head, Slice);
        return (response.Headers.ETag!.ToString(), response.Content.Headers.LastModified!.Value);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value));
        }

        return await _server.Http.SendAsync(request);
    }
}
