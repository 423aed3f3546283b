using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// An asset as a player reaches it (the master and media playlists served by an API node) set beside what is really
/// in the bucket, so a test can say no slice is lost (every URI a playlist names is an object) or doubled (no
/// playlist names a slice twice, and no media object sits in the bucket that no playlist names).
/// </summary>
internal sealed record StoredAsset(IReadOnlyList<string> PlaylistFiles, IReadOnlyList<string> MediaObjects)
{
    private static readonly string[] MediaExtensions = [".ts", ".m4s", ".mp4", ".m4a", ".aac", ".vtt"];

    /// <summary>Reads the asset's playlists through <paramref name="http"/> and lists its objects in the deployment's bucket.</summary>
    public static async Task<StoredAsset> ReadAsync(Deployment deployment, HttpClient http, string asset)
    {
        var master = await http.GetStringAsync($"/{asset}.m3u8");
        var files = new List<string>();
        foreach (var media in HlsPlaylists.Uris(master).Where(u => u.EndsWith(".m3u8", StringComparison.Ordinal)))
        {
            // The master names its playlists from the site root ("{asset}/a/index.m3u8"); they name slices beside them.
            var playlist = await http.GetStringAsync($"/{media}");
            var folder = media[..(media.LastIndexOf('/') + 1)];
            var uris = HlsPlaylists.Uris(playlist).Select(u => (folder + u)[(asset.Length + 1)..]).ToList();
            Assert.True(uris.Count == uris.Distinct().Count(), $"{media} names a slice twice:\n{playlist}");
            files.AddRange(uris);
        }

        // Only the version folder's own name is dropped: "assets/{asset}/v1/a/0.ts" is served as "/{asset}/a/0.ts".
        var objects = (await deployment.ListObjectsAsync($"assets/{asset}/"))
            .Where(key => MediaExtensions.Contains(Path.GetExtension(key)))
            .Select(key => string.Join('/', key.Split('/').Skip(3)))
            .ToList();
        return new StoredAsset(files, objects);
    }

    /// <summary>Every slice a playlist names is stored, and nothing else is.</summary>
    public void AssertEverySliceStoredOnce()
    {
        Assert.NotEmpty(PlaylistFiles);
        Assert.Equal(PlaylistFiles.Distinct().Order(StringComparer.Ordinal), MediaObjects.Order(StringComparer.Ordinal));
    }
}
