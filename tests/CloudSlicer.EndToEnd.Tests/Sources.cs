using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>Test sources on a loopback HTTP server: real clips made by ffmpeg, and hostile files.</summary>
public sealed class Sources : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"cloudslicer-sources-{Guid.NewGuid():N}");

    public LoopbackFileServer Server { get; private set; } = null!;

    public string Url(string name) => Server.UrlOf(name);

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        await Task.WhenAll(
            MediaClips.GenerateAsync(Path.Combine(Directory, "clip.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(10), Width = 480, Height = 270, FrameRate = 30, WithAudio = true }),
            MediaClips.GenerateAsync(Path.Combine(Directory, "long.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(20), Width = 1280, Height = 720, FrameRate = 30, WithAudio = true }));

        await File.WriteAllBytesAsync(Path.Combine(Directory, "empty.mp4"), []);
        await File.WriteAllBytesAsync(Path.Combine(Directory, "random.mp4"), RandomBytes(200_000));
        var clip = await File.ReadAllBytesAsync(Path.Combine(Directory, "clip.mp4"));
        await File.WriteAllBytesAsync(Path.Combine(Directory, "truncated.mp4"), clip[..(clip.Length / 3)]);
        await File.WriteAllTextAsync(Path.Combine(Directory, "notes.txt"), "This is not a video.\n");
        await File.WriteAllTextAsync(Path.Combine(Directory, "list.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n");
        await File.WriteAllTextAsync(Path.Combine(Directory, "clip.mp4.cfg"), "# Slicebot settings\ndescription = from the sidecar\n");
        Server = await LoopbackFileServer.StartAsync(Directory);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
