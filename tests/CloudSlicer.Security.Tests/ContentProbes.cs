using System.Text;
using CloudSlicer.Core.Assets;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// Unauthenticated content serving, probed as the review did: traversal in every encoding, directories,
/// names no file system holds, and files that are not media. A canary line sits in every file a traversal
/// could reach (the database directory, the blob root, the asset's metadata): no answer may contain it.
/// </summary>
public sealed class ContentProbes(Api2ProbeServer server) : IClassFixture<Api2ProbeServer>
{
    private const string Asset = "00112233445566778899aabbccddeeff";
    private const string Canary = "CANARY-4f1d";

    [Theory]
    [InlineData("/{asset}/%2e%2e/%2e%2e/secret.m3u8")]
    [InlineData("/{asset}/%2E%2E/%2E%2E/%2E%2E/secret.m3u8")]
    [InlineData("/{asset}/..%2f..%2fsecret.m3u8")]
    [InlineData("/{asset}/..%2F..%2F..%2Fsecret.m3u8")]
    [InlineData("/{asset}/a%5c..%5c..%5csecret.m3u8")]
    [InlineData("/{asset}/..%5c..%5c..%5csecret.m3u8")]
    [InlineData("/{asset}/..\\..\\..\\secret.m3u8")]
    [InlineData("/{asset}/%252e%252e/%252e%252e/secret.m3u8")]
    [InlineData("/{asset}/.%2e/.%2e/secret.m3u8")]
    [InlineData("/{asset}/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.m3u8")]
    [InlineData("/{asset}/....//....//secret.m3u8")]
    [InlineData("/{asset}/../../secret.m3u8")]
    [InlineData("/{asset}//secret.m3u8")]
    [InlineData("/{asset}//{root}/blobs/secret.m3u8")]
    [InlineData("/{asset}/a//index.m3u8")]
    [InlineData("/{asset}/a/./index.m3u8x")]
    [InlineData("/{asset}/a/index.m3u8%00.jpg")]
    [InlineData("/{asset}/asset.json%00.m3u8")]
    [InlineData("/{asset}/%00")]
    [InlineData("/{asset}/a%00/index.m3u8")]
    [InlineData("/%2e%2e/%2e%2e/secret.m3u8")]
    [InlineData("/..%2f..%2fsecret.m3u8")]
    [InlineData("/{asset}%2f..%2f..%2fsecret.m3u8")]
    [InlineData("/{asset}/..")]
    [InlineData("/{asset}/%2e%2e")]
    public async Task Traversal_in_any_encoding_is_404(string template)
    {
        await PlantAsync();
        var target = template.Replace("{asset}", Asset, StringComparison.Ordinal).Replace("{root}", server.DataDirectory.TrimStart('/'), StringComparison.Ordinal);

        foreach (var method in new[] { "GET", "HEAD" })
        {
            var response = await Api2RawHttp.SendAsync(server.Server.Url, method, target);
            Assert.True(response.Status is 404 or 400, $"{method} {target}: {response}");
            Assert.DoesNotContain(Canary, response.Body, StringComparison.Ordinal);
        }

        await server.AssertNothingFailedInTheLogAsync();
    }

    [Theory]
    [InlineData("asset.json")]
    [InlineData("ASSET.JSON")]
    [InlineData("notes.txt")]
    [InlineData("a")]
    [InlineData("a/")]
    [InlineData("thumbs.jpg")]
    [InlineData("thumbs.jpg/")]
    [InlineData("a/index.m3u8.tmp")]
    [InlineData(".hidden.m4s")]
    [InlineData("a/.")]
    [InlineData("{300}.m4s")]
    [InlineData("{255}.m4s")]
    [InlineData("{5000}.m3u8")]
    [InlineData("{deep}/x.m4s")]
    public async Task Anything_but_a_media_file_is_404_and_nothing_throws(string name)
    {
        await PlantAsync();
        name = name switch
        {
            "{300}.m4s" => new string('n', 300) + ".m4s",
            "{255}.m4s" => new string('n', 251) + ".m4s",
            "{5000}.m3u8" => new string('n', 5000) + ".m3u8",
            "{deep}/x.m4s" => string.Join('/', Enumerable.Repeat(new string('d', 200), 30)) + "/x.m4s",
            _ => name,
        };

        foreach (var method in new[] { "GET", "HEAD" })
        {
            var response = await Api2RawHttp.SendAsync(server.Server.Url, method, $"/{Asset}/{name}");
            Assert.True(response.Status == 404, $"{method} {name}: {response}");
            Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
            Assert.DoesNotContain(Canary, response.Body, StringComparison.Ordinal);
        }

        await server.AssertNothingFailedInTheLogAsync();
    }

    [Theory]
    [InlineData("/{asset}.m3u8", "application/vnd.apple.mpegurl")]
    [InlineData("/{asset}/a/index.m3u8", "application/vnd.apple.mpegurl")]
    [InlineData("/{asset}/a/init.mp4", "video/mp4")]
    [InlineData("/{asset}/a/seg_00000.m4s", "video/iso.segment")]
    [InlineData("/{asset}/poster.jpg", "image/jpeg")]
    public async Task Media_files_are_served_with_nosniff(string template, string type)
    {
        await PlantAsync();

        var response = await Api2RawHttp.SendAsync(server.Server.Url, "GET", template.Replace("{asset}", Asset, StringComparison.Ordinal));

        Assert.True(response.Status == 200, response.ToString());
        Assert.Equal(type, response.Header("Content-Type"));
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
        await server.AssertNothingFailedInTheLogAsync();
    }

    /// <summary>A published asset laid out as the slicer stores it (version 1, and its record), plus canaries where a traversal would land.</summary>
    private async Task PlantAsync()
    {
        var blobs = Path.Combine(server.DataDirectory, "blobs");
        var asset = Path.Combine(blobs, "assets", Asset, "v1");
        var files = new Dictionary<string, string>
        {
            [Path.Combine(asset, "master.m3u8")] = "#EXTM3U\n",
            [Path.Combine(asset, "asset.json")] = $"{{\"owner\": \"{Canary}\"}}",
            [Path.Combine(asset, "notes.txt")] = Canary,
            [Path.Combine(asset, "a", "index.m3u8")] = "#EXTM3U\n",
            [Path.Combine(asset, "a", "init.mp4")] = "init",
            [Path.Combine(asset, "a", "seg_00000.m4s")] = "slice",
            [Path.Combine(asset, "poster.jpg")] = "jpeg",
            [Path.Combine(blobs, "assets", "secret.m3u8")] = Canary,
            [Path.Combine(blobs, "secret.m3u8")] = Canary,
            [Path.Combine(server.DataDirectory, "secret.m3u8")] = Canary,
        };
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, text, Encoding.UTF8);
        }

        Directory.CreateDirectory(Path.Combine(asset, "thumbs.jpg"));
        if (await server.Assets.FindPublishedAsync(Asset, default) is null)
        {
            await server.Assets.PublishAsync(new AssetManifest { Id = Asset, Owner = server.Alice.Owner }, replaceExternalId: false, default);
        }
    }
}
