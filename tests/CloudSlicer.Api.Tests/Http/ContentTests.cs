using System.Net;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage.Assets;

namespace CloudSlicer.Api.Tests.Http;

/// <summary>
/// Content serving answers media files of a published asset and nothing else: not its metadata, not a
/// directory, not a name the file system cannot hold. Anything else is a plain 404, never a 500.
/// </summary>
public sealed class ContentTests : IAsyncLifetime
{
    private const string Asset = "0123456789abcdef0123456789abcdef";
    private ApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        var root = Path.Combine(_server.DataDirectory, "blobs", "assets", Asset, "v1");
        foreach (var (name, text) in new[]
        {
            ("master.m3u8", "#EXTM3U\n"), ("asset.json", "{\"owner\": \"secret-owner\"}"), ("a/index.m3u8", "#EXTM3U\n"),
            ("a/init.mp4", "init"), ("a/seg_00000.m4s", "slice"), ("poster.jpg", "jpeg"), ("notes.txt", "text"),
            ("subs/en.vtt", "WEBVTT\n"), ("manifest.mpd", "<MPD/>"),
        })
        {
            var path = Path.Combine(root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, text);
        }

        Directory.CreateDirectory(Path.Combine(root, "thumbs.jpg"));   // a directory with a media name
        await _server.Service<IAssetStore>().PublishAsync(new AssetManifest { Id = Asset, Owner = new string('a', 32) }, replaceExternalId: false, default);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData($"/{Asset}.m3u8", "application/vnd.apple.mpegurl")]
    [InlineData($"/{Asset}/a/index.m3u8", "application/vnd.apple.mpegurl")]
    [InlineData($"/{Asset}/a/init.mp4", "video/mp4")]
    [InlineData($"/{Asset}/a/seg_00000.m4s", "video/iso.segment")]
    [InlineData($"/{Asset}/poster.jpg", "image/jpeg")]
    [InlineData($"/{Asset}/subs/en.vtt", "text/vtt")]
    [InlineData($"/{Asset}/manifest.mpd", "application/dash+xml")]
    public async Task Media_files_are_served_with_their_type_open_cors_and_nosniff(string path, string type)
    {
        using var response = await _server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("asset.json")]    // owner and job ids are not the public's business
    [InlineData("notes.txt")]     // not a media kind
    [InlineData("a")]             // a directory
    [InlineData("thumbs.jpg")]    // a directory with a media name
    [InlineData("subs")]
    [InlineData("A/INDEX.M3U8")]
    [InlineData("a/index.m3u8.tmp")]
    [InlineData(".hidden.m4s")]
    public async Task Anything_but_a_media_file_is_404(string name)
    {
        using var response = await _server.Http.GetAsync($"/{Asset}/{name}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(5000)]
    public async Task A_name_longer_than_the_file_system_allows_is_404(int length)
    {
        using var response = await _server.Http.GetAsync($"/{Asset}/{new string('s', length)}.m4s");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var deep = await _server.Http.GetAsync($"/{Asset}/{string.Join('/', Enumerable.Repeat(new string('d', 200), 40))}/x.m4s");
        Assert.Equal(HttpStatusCode.NotFound, deep.StatusCode);
    }
}
